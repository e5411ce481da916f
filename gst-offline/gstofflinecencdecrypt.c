/* gstofflinecencdecrypt.c: offlinecencdec, decrypts MPEG Common
 * Encryption (Clear Key) with keys from a GstContext
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
/**
 * SECTION:element-offlinecencdec
 * @title: offlinecencdec
 *
 * Decrypts media encrypted with MPEG Common Encryption (ISO/IEC 23001-7)
 * for the W3C Clear Key system, with keys the application (or
 * offlinesrc) gives it. Its sink caps are `application/x-cenc` with a
 * `protection-system` of Clear Key (`e2719d58-a985-b3c9-781a-b030af78d30e`)
 * or of the W3C common system (`1077efec-c0b2-4d02-ace3-3c1e52e2fb4b`), as
 * qtdemux makes them; its src caps are the original media caps (the
 * structure named after `original-media-type`, without that field,
 * `protection-system`, `cipher-mode`, `encryption-algorithm` and
 * `encoding-scope`). Its klass is `Decryptor` and its rank primary: qtdemux
 * picks its system ids (gst_protection_select_system()) and decodebin,
 * parsebin and decodebin3 plug it after qtdemux.
 *
 * Each buffer is decrypted in place from its #GstProtectionMeta (the
 * fields qtdemux sets): `kid` (#GstBuffer, 16 bytes), `iv` (#GstBuffer)
 * and `iv_size` (8 or 16; 0 with a constant IV, then `iv` or
 * `constant_iv` holds the constant IV of `constant_iv_size` bytes),
 * `subsample_count` and `subsamples` (#GstBuffer of big-endian (u16
 * clear, u32 encrypted) pairs; none: the whole sample is encrypted),
 * `cipher-mode` (`cenc`, the default, or `cbcs`), `crypt_byte_block` and
 * `skip_byte_block` (the cbcs pattern) and `encrypted`. `cenc` is
 * AES-128-CTR, one keystream over the encrypted bytes of all subsamples;
 * `cbcs` is AES-128-CBC with the crypt:skip pattern over each subsample,
 * the IV reset at each, a last partial block clear. A buffer whose meta
 * says `encrypted` FALSE passes through; one with no protection meta at
 * all is an error (qtdemux sends those when it could not read the
 * sample's encryption information: they may be encrypted). The
 * protection meta is removed from the buffers pushed.
 *
 * Keys: a #GstContext of type `offlinemgr.keys` whose structure has one
 * field per key, named by the key ID in 32 lowercase hex digits, with the
 * 16-byte key as a #GstBuffer (or #GBytes):
 * |[<!-- language="C" -->
 * GstContext *context = gst_context_new ("offlinemgr.keys", FALSE);
 * gst_structure_set (gst_context_writable_structure (context),
 *     "0123456789abcdef0123456789abcdef", GST_TYPE_BUFFER, key_buffer, NULL);
 * gst_element_set_context (pipeline, context);
 * ]|
 * The element asks for it the usual way when the first encrypted buffer
 * comes and it has none (and again for a key ID it lacks): a CONTEXT
 * query to its downstream then upstream peers, then a NEED_CONTEXT
 * message on the bus, which the application answers from a synchronous
 * bus handler with gst_element_set_context() on the element (message
 * source); a context set on the pipeline beforehand reaches it too. A key
 * ID with no key is an ERROR message (GST_STREAM_ERROR_DECRYPT_NOKEY)
 * naming it in its text, with a details structure whose `kid` field is
 * the key ID: no encrypted byte goes downstream. A damaged protection
 * meta (subsamples that do not cover the buffer, an IV that is not 8 or
 * 16 bytes, another cipher mode) is a GST_STREAM_ERROR_DECRYPT.
 */
#include "gstofflinecencdecrypt.h"

#include <string.h>

#include <gst/gstprotection.h>

#include "gstofflinecenc.h"

GST_DEBUG_CATEGORY_STATIC (gst_offline_cenc_decrypt_debug);
#define GST_CAT_DEFAULT gst_offline_cenc_decrypt_debug

struct _GstOfflineCencDecrypt {
  GstBaseTransform parent;

  GstContext *keys;   /* protected by OBJECT_LOCK; the offlinemgr.keys context */
};

#define CENC_CAPS_NAME "application/x-cenc"

static GstStaticPadTemplate sink_template = GST_STATIC_PAD_TEMPLATE ("sink",
    GST_PAD_SINK, GST_PAD_ALWAYS,
    /* one structure per system: gst_protection_select_system() (what
     * qtdemux asks) reads a protection-system string, not a list */
    GST_STATIC_CAPS (CENC_CAPS_NAME ", protection-system = (string) " GST_OFFLINE_CLEARKEY_SYSTEM_ID "; "
                     CENC_CAPS_NAME ", protection-system = (string) " GST_OFFLINE_COMMON_SYSTEM_ID));

static GstStaticPadTemplate src_template = GST_STATIC_PAD_TEMPLATE ("src",
    GST_PAD_SRC, GST_PAD_ALWAYS, GST_STATIC_CAPS_ANY);

static const char *const system_ids[] = {
  GST_OFFLINE_CLEARKEY_SYSTEM_ID, GST_OFFLINE_COMMON_SYSTEM_ID,
};

/* The fields of application/x-cenc caps that the original caps lack. */
static const char *const protection_fields[] = {
  "original-media-type", "protection-system", "cipher-mode",
  "encryption-algorithm", "encoding-scope",
};

G_DEFINE_FINAL_TYPE_WITH_CODE (GstOfflineCencDecrypt, gst_offline_cenc_decrypt,
    GST_TYPE_BASE_TRANSFORM,
    GST_DEBUG_CATEGORY_INIT (gst_offline_cenc_decrypt_debug, "offlinecencdec", 0,
                             "Common Encryption decryptor"));

GST_ELEMENT_REGISTER_DEFINE (offlinecencdec, "offlinecencdec", GST_RANK_PRIMARY,
                             GST_TYPE_OFFLINE_CENC_DECRYPT);

/* --- caps --------------------------------------------------------------- */

/* application/x-cenc → the original caps: NULL if @s says none. */
static GstStructure *
original_structure (const GstStructure *s)
{
  const char *media_type = gst_structure_get_string (s, "original-media-type");
  GstStructure *out;

  if (!gst_structure_has_name (s, CENC_CAPS_NAME) || media_type == NULL)
    return NULL;
  out = gst_structure_copy (s);
  gst_structure_set_name (out, media_type);
  for (guint i = 0; i < G_N_ELEMENTS (protection_fields); i++)
    gst_structure_remove_field (out, protection_fields[i]);
  return out;
}

static GstCaps *
gst_offline_cenc_decrypt_transform_caps (GstBaseTransform *base,
                                         GstPadDirection   direction,
                                         GstCaps          *caps,
                                         GstCaps          *filter)
{
  GstCaps *out;

  if (direction == GST_PAD_SINK) {
    out = gst_caps_new_empty ();
    for (guint i = 0; i < gst_caps_get_size (caps); i++) {
      GstStructure *s = original_structure (gst_caps_get_structure (caps, i));

      if (s == NULL) {
        /* the template's caps: any original media */
        gst_caps_unref (out);
        out = gst_caps_new_any ();
        break;
      }
      out = gst_caps_merge_structure (out, s);
    }
  } else if (gst_caps_is_any (caps)) {
    out = gst_static_pad_template_get_caps (&sink_template);
  } else {
    out = gst_caps_new_empty ();
    for (guint i = 0; i < gst_caps_get_size (caps); i++) {
      const GstStructure *s = gst_caps_get_structure (caps, i);

      for (guint j = 0; j < G_N_ELEMENTS (system_ids); j++) {
        GstStructure *cenc = gst_structure_copy (s);

        gst_structure_set_name (cenc, CENC_CAPS_NAME);
        gst_structure_set (cenc, "original-media-type", G_TYPE_STRING, gst_structure_get_name (s),
                           "protection-system", G_TYPE_STRING, system_ids[j], NULL);
        out = gst_caps_merge_structure (out, cenc);
      }
    }
  }

  if (filter != NULL) {
    GstCaps *filtered = gst_caps_intersect_full (filter, out, GST_CAPS_INTERSECT_FIRST);

    gst_caps_unref (out);
    out = filtered;
  }
  GST_LOG_OBJECT (base, "%s %" GST_PTR_FORMAT " → %" GST_PTR_FORMAT,
                  direction == GST_PAD_SINK ? "sink" : "src", caps, out);
  return out;
}

/* --- keys --------------------------------------------------------------- */

static void
gst_offline_cenc_decrypt_set_context (GstElement *element,
                                      GstContext *context)
{
  GstOfflineCencDecrypt *self = GST_OFFLINE_CENC_DECRYPT (element);

  if (gst_context_has_context_type (context, GST_OFFLINE_KEYS_CONTEXT_TYPE)) {
    GST_DEBUG_OBJECT (self, "keys: %" GST_PTR_FORMAT, context);
    GST_OBJECT_LOCK (self);
    gst_context_replace (&self->keys, context);
    GST_OBJECT_UNLOCK (self);
  }
  GST_ELEMENT_CLASS (gst_offline_cenc_decrypt_parent_class)->set_context (element, context);
}

/* Asks for the keys context: peers downstream then upstream, then the
 * application (NEED_CONTEXT, answered synchronously). */
static void
request_keys (GstOfflineCencDecrypt *self)
{
  GstBaseTransform *base = GST_BASE_TRANSFORM (self);
  GstPad *pads[] = { base->srcpad, base->sinkpad };
  gboolean answered = FALSE;

  for (guint i = 0; i < G_N_ELEMENTS (pads) && !answered; i++) {
    GstQuery *query = gst_query_new_context (GST_OFFLINE_KEYS_CONTEXT_TYPE);
    GstContext *context = NULL;

    if (gst_pad_peer_query (pads[i], query)) {
      gst_query_parse_context (query, &context);
      if (context != NULL) {
        GST_DEBUG_OBJECT (self, "keys from the peer of %" GST_PTR_FORMAT, pads[i]);
        gst_element_set_context (GST_ELEMENT (self), context);
        answered = TRUE;
      }
    }
    gst_query_unref (query);
  }
  if (!answered) {
    GST_DEBUG_OBJECT (self, "posting need-context %s", GST_OFFLINE_KEYS_CONTEXT_TYPE);
    gst_element_post_message (GST_ELEMENT (self),
        gst_message_new_need_context (GST_OBJECT (self), GST_OFFLINE_KEYS_CONTEXT_TYPE));
  }
}

/* Copies the key of @kid (hex) into @key. */
static gboolean
lookup_key (GstOfflineCencDecrypt *self,
            const char            *kid,
            guint8                 key[GST_OFFLINE_CENC_KEY_SIZE])
{
  gboolean found = FALSE;
  const GValue *value;

  GST_OBJECT_LOCK (self);
  if (self->keys != NULL &&
      (value = gst_structure_get_value (gst_context_get_structure (self->keys), kid)) != NULL) {
    if (G_VALUE_HOLDS (value, GST_TYPE_BUFFER)) {
      GstBuffer *buffer = gst_value_get_buffer (value);

      found = gst_buffer_get_size (buffer) == GST_OFFLINE_CENC_KEY_SIZE &&
              gst_buffer_extract (buffer, 0, key, GST_OFFLINE_CENC_KEY_SIZE) == GST_OFFLINE_CENC_KEY_SIZE;
    } else if (G_VALUE_HOLDS (value, G_TYPE_BYTES)) {
      GBytes *bytes = g_value_get_boxed (value);

      found = bytes != NULL && g_bytes_get_size (bytes) == GST_OFFLINE_CENC_KEY_SIZE;
      if (found)
        memcpy (key, g_bytes_get_data (bytes, NULL), GST_OFFLINE_CENC_KEY_SIZE);
    }
    if (!found)
      GST_WARNING_OBJECT (self, "the key of %s is not 16 bytes in a GstBuffer or GBytes", kid);
  }
  GST_OBJECT_UNLOCK (self);
  return found;
}

static gboolean
get_key (GstOfflineCencDecrypt *self,
         const char            *kid,
         guint8                 key[GST_OFFLINE_CENC_KEY_SIZE])
{
  if (lookup_key (self, kid, key))
    return TRUE;
  /* none yet, or not this one: ask (again: the answer may have changed) */
  request_keys (self);
  return lookup_key (self, kid, key);
}

/* --- protection meta ------------------------------------------------------ */

/* An unsigned integer field of whichever integer type. */
static gboolean
get_uint (const GstStructure *s,
          const char         *name,
          guint              *out)
{
  const GValue *value = gst_structure_get_value (s, name);
  GValue as_uint = G_VALUE_INIT;

  if (value == NULL || !g_value_type_transformable (G_VALUE_TYPE (value), G_TYPE_UINT))
    return FALSE;
  g_value_init (&as_uint, G_TYPE_UINT);
  if (!g_value_transform (value, &as_uint))
    return FALSE;
  *out = g_value_get_uint (&as_uint);
  return TRUE;
}

static GstBuffer *
get_buffer (const GstStructure *s,
            const char         *name)
{
  const GValue *value = gst_structure_get_value (s, name);

  return value != NULL && G_VALUE_HOLDS (value, GST_TYPE_BUFFER) ? gst_value_get_buffer (value) : NULL;
}

static gboolean
damaged (GError     **error,
         const char  *what)
{
  g_set_error (error, GST_STREAM_ERROR, GST_STREAM_ERROR_DECRYPT,
               "The protection meta %s", what);
  return FALSE;
}

/* Reads @info (a protection meta of an encrypted sample) into @sample
 * (its subsamples into @subsamples, to free) and @kid. */
static gboolean
parse_info (const GstStructure       *info,
            GstOfflineCencSample     *sample,
            GstOfflineCencSubsample **subsamples,
            char                      kid[2 * GST_OFFLINE_CENC_KEY_SIZE + 1],
            GError                  **error)
{
  const char *mode = gst_structure_get_string (info, "cipher-mode");
  GstBuffer *kid_buffer = get_buffer (info, "kid");
  GstBuffer *iv = NULL;
  guint8 kid_bytes[GST_OFFLINE_CENC_KEY_SIZE];
  guint iv_size = 0, count = 0;

  memset (sample, 0, sizeof *sample);
  if (mode == NULL)
    mode = gst_structure_has_name (info, "application/x-cbcs") ? "cbcs" : "cenc";
  if (g_str_equal (mode, "cenc"))
    sample->scheme = GST_OFFLINE_CENC_SCHEME_CENC;
  else if (g_str_equal (mode, "cbcs"))
    sample->scheme = GST_OFFLINE_CENC_SCHEME_CBCS;
  else
    return damaged (error, "has a cipher mode that is not cenc or cbcs");

  if (kid_buffer == NULL || gst_buffer_get_size (kid_buffer) != GST_OFFLINE_CENC_KEY_SIZE)
    return damaged (error, "has no 16-byte key ID");
  gst_buffer_extract (kid_buffer, 0, kid_bytes, sizeof kid_bytes);
  for (guint i = 0; i < GST_OFFLINE_CENC_KEY_SIZE; i++)
    g_snprintf (kid + 2 * i, 3, "%02x", kid_bytes[i]);

  if (get_uint (info, "iv_size", &iv_size) && iv_size != 0) {
    iv = get_buffer (info, "iv");
  } else {
    /* a constant IV (cbcs): qtdemux puts it in "iv" */
    iv = get_buffer (info, "constant_iv");
    if (iv == NULL)
      iv = get_buffer (info, "iv");
    if (!get_uint (info, "constant_iv_size", &iv_size) && iv != NULL)
      iv_size = gst_buffer_get_size (iv);
  }
  if (iv == NULL || (iv_size != 8 && iv_size != 16) || gst_buffer_get_size (iv) < iv_size)
    return damaged (error, "has no IV of 8 or 16 bytes");
  gst_buffer_extract (iv, 0, sample->iv, iv_size);
  sample->iv_size = iv_size;

  get_uint (info, "crypt_byte_block", &sample->crypt_byte_block);
  get_uint (info, "skip_byte_block", &sample->skip_byte_block);

  if (get_uint (info, "subsample_count", &count) && count > 0) {
    GstBuffer *map_buffer = get_buffer (info, "subsamples");
    GstMapInfo map;

    if (map_buffer == NULL || !gst_buffer_map (map_buffer, &map, GST_MAP_READ))
      return damaged (error, "has a subsample count but no subsamples");
    *subsamples = gst_offline_cenc_parse_subsamples (map.data, map.size, count, error);
    gst_buffer_unmap (map_buffer, &map);
    if (*subsamples == NULL)
      return FALSE;
    sample->subsamples = *subsamples;
    sample->n_subsamples = count;
  }
  return TRUE;
}

static GstFlowReturn
gst_offline_cenc_decrypt_transform_ip (GstBaseTransform *base,
                                       GstBuffer        *buffer)
{
  GstOfflineCencDecrypt *self = GST_OFFLINE_CENC_DECRYPT (base);
  GstProtectionMeta *meta = gst_buffer_get_protection_meta (buffer);
  g_autofree GstOfflineCencSubsample *subsamples = NULL;
  g_autoptr (GError) error = NULL;
  GstOfflineCencSample sample;
  char kid[2 * GST_OFFLINE_CENC_KEY_SIZE + 1];
  guint8 key[GST_OFFLINE_CENC_KEY_SIZE];
  gboolean encrypted = TRUE;
  GstMapInfo map;
  gboolean ok;

  if (meta == NULL) {
    /* qtdemux sends a sample of a protected stream without one when it
     * could not read its encryption information (e.g. no saiz/saio in the
     * fragment): it may be encrypted, it must not reach a decoder */
    GST_ELEMENT_ERROR (self, STREAM, DECRYPT,
                       ("A sample of the protected stream has no encryption information"),
                       ("no protection meta on %" GST_PTR_FORMAT, buffer));
    return GST_FLOW_ERROR;
  }
  GST_LOG_OBJECT (self, "%" GST_PTR_FORMAT ": %" GST_PTR_FORMAT, buffer, meta->info);
  gst_structure_get_boolean (meta->info, "encrypted", &encrypted);
  if (encrypted) {
    if (!parse_info (meta->info, &sample, &subsamples, kid, &error)) {
      GST_ELEMENT_ERROR (self, STREAM, DECRYPT, ("%s", error->message),
                         ("protection meta %" GST_PTR_FORMAT, meta->info));
      return GST_FLOW_ERROR;
    }
    if (!get_key (self, kid, key)) {
      GST_ELEMENT_ERROR_WITH_DETAILS (self, STREAM, DECRYPT_NOKEY,
          ("No key for the key ID %s", kid),
          ("The %s context has no key for the key ID %s", GST_OFFLINE_KEYS_CONTEXT_TYPE, kid),
          ("kid", G_TYPE_STRING, kid, NULL));
      return GST_FLOW_ERROR;
    }
    if (!gst_buffer_map (buffer, &map, GST_MAP_READWRITE)) {
      GST_ELEMENT_ERROR (self, STREAM, DECRYPT, ("Cannot write the buffer to decrypt"), (NULL));
      return GST_FLOW_ERROR;
    }
    ok = gst_offline_cenc_decrypt_sample (key, &sample, map.data, map.size, &error);
    gst_buffer_unmap (buffer, &map);
    memset (key, 0, sizeof key);
    if (!ok) {
      GST_ELEMENT_ERROR (self, STREAM, DECRYPT, ("%s", error->message),
                         ("protection meta %" GST_PTR_FORMAT, meta->info));
      return GST_FLOW_ERROR;
    }
  }
  gst_buffer_remove_meta (buffer, (GstMeta *) meta);
  return GST_FLOW_OK;
}

/* --- object --------------------------------------------------------------- */

static void
gst_offline_cenc_decrypt_finalize (GObject *object)
{
  GstOfflineCencDecrypt *self = GST_OFFLINE_CENC_DECRYPT (object);

  if (self->keys != NULL)
    gst_context_unref (g_steal_pointer (&self->keys));
  G_OBJECT_CLASS (gst_offline_cenc_decrypt_parent_class)->finalize (object);
}

static void
gst_offline_cenc_decrypt_class_init (GstOfflineCencDecryptClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GstElementClass *element_class = GST_ELEMENT_CLASS (klass);
  GstBaseTransformClass *base_class = GST_BASE_TRANSFORM_CLASS (klass);
  GstPadTemplate *src_pad_template;

  object_class->finalize = gst_offline_cenc_decrypt_finalize;
  element_class->set_context = gst_offline_cenc_decrypt_set_context;
  base_class->transform_caps = gst_offline_cenc_decrypt_transform_caps;
  base_class->transform_ip = gst_offline_cenc_decrypt_transform_ip;
  base_class->passthrough_on_same_caps = FALSE;
  base_class->transform_ip_on_passthrough = FALSE;

  gst_element_class_add_static_pad_template (element_class, &sink_template);
  src_pad_template = gst_static_pad_template_get (&src_template);
  /* any caps: the original-media-type of the sink caps; documented as
   * what the stored protected tracks are */
  gst_pad_template_set_documentation_caps (src_pad_template,
      gst_caps_from_string ("video/x-h264; video/x-h265; audio/mpeg; audio/x-ac3; audio/x-eac3"));
  gst_element_class_add_pad_template (element_class, src_pad_template);
  gst_element_class_set_static_metadata (element_class, "Offline Clear Key decryptor",
      "Decryptor",
      "Decrypts MPEG Common Encryption (cenc, cbcs) with W3C Clear Key keys "
      "from an offlinemgr.keys context",
      "offlinemgr");
}

static void
gst_offline_cenc_decrypt_init (GstOfflineCencDecrypt *self)
{
  gst_base_transform_set_in_place (GST_BASE_TRANSFORM (self), TRUE);
  gst_base_transform_set_passthrough (GST_BASE_TRANSFORM (self), FALSE);
}
