/* offline-protection.c: content protection information of a track or segment
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <string.h>

#include "offline-protection-private.h"

/**
 * OfflineProtection:
 *
 * What a manifest says about the protection of a track or segment: DASH
 * `ContentProtection` (scheme, system id, default KID, PSSH, licence URL) or
 * HLS `EXT-X-KEY` (method, key URI, key format, IV). Fields that the manifest
 * does not give are %NULL.
 */
G_DEFINE_FINAL_TYPE (OfflineProtection, offline_protection, G_TYPE_OBJECT)

static void
offline_protection_finalize (GObject *object)
{
  OfflineProtection *self = OFFLINE_PROTECTION (object);

  g_free (self->scheme_id_uri);
  g_free (self->system_id);
  g_free (self->default_kid);
  g_clear_pointer (&self->pssh, g_bytes_unref);
  g_free (self->license_url);
  g_free (self->method);
  g_free (self->key_uri);
  g_free (self->key_format);
  g_clear_pointer (&self->iv, g_bytes_unref);

  G_OBJECT_CLASS (offline_protection_parent_class)->finalize (object);
}

static void
offline_protection_class_init (OfflineProtectionClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = offline_protection_finalize;
}

static void
offline_protection_init (OfflineProtection *self)
{
}

OfflineProtection *
offline_protection_new (void)
{
  return g_object_new (OFFLINE_TYPE_PROTECTION, NULL);
}

OfflineProtection *
offline_protection_copy_with_iv (OfflineProtection *self,
                                 const guint8       iv[16])
{
  OfflineProtection *copy = offline_protection_new ();

  copy->scheme_id_uri = g_strdup (self->scheme_id_uri);
  copy->system_id = g_strdup (self->system_id);
  copy->default_kid = g_strdup (self->default_kid);
  copy->pssh = self->pssh ? g_bytes_ref (self->pssh) : NULL;
  copy->license_url = g_strdup (self->license_url);
  copy->method = g_strdup (self->method);
  copy->key_uri = g_strdup (self->key_uri);
  copy->key_format = g_strdup (self->key_format);
  copy->iv = g_bytes_new (iv, 16);
  return copy;
}

/**
 * offline_protection_get_scheme_id_uri:
 * @self: a #OfflineProtection
 *
 * Gets the DASH `ContentProtection@schemeIdUri`, as written.
 *
 * Returns: (nullable): the DASH `ContentProtection@schemeIdUri`, as written
 */
const char *
offline_protection_get_scheme_id_uri (OfflineProtection *self)
{
  g_return_val_if_fail (OFFLINE_IS_PROTECTION (self), NULL);
  return self->scheme_id_uri;
}

/**
 * offline_protection_get_system_id:
 * @self: a #OfflineProtection
 *
 * Gets the DRM system id, a lower-case UUID taken from a `urn:uuid:` scheme
 * (for example Widevine's `edef8ba9-79d6-4ace-a3c8-27dcd51d21ed`).
 *
 * Returns: (nullable): the DRM system id, a lower-case UUID taken from a
 *   `urn:uuid:` scheme (for example Widevine's
 *   `edef8ba9-79d6-4ace-a3c8-27dcd51d21ed`)
 */
const char *
offline_protection_get_system_id (OfflineProtection *self)
{
  g_return_val_if_fail (OFFLINE_IS_PROTECTION (self), NULL);
  return self->system_id;
}

/**
 * offline_protection_get_default_kid:
 * @self: a #OfflineProtection
 *
 * Gets the `cenc:default_KID`, a lower-case UUID.
 *
 * Returns: (nullable): the `cenc:default_KID`, a lower-case UUID
 */
const char *
offline_protection_get_default_kid (OfflineProtection *self)
{
  g_return_val_if_fail (OFFLINE_IS_PROTECTION (self), NULL);
  return self->default_kid;
}

/**
 * offline_protection_get_pssh:
 * @self: a #OfflineProtection
 *
 * Gets the decoded `cenc:pssh` box.
 *
 * Returns: (transfer none) (nullable): the decoded `cenc:pssh` box
 */
GBytes *
offline_protection_get_pssh (OfflineProtection *self)
{
  g_return_val_if_fail (OFFLINE_IS_PROTECTION (self), NULL);
  return self->pssh;
}

/**
 * offline_protection_get_license_url:
 * @self: a #OfflineProtection
 *
 * Gets the licence server URL given by the manifest (ClearKey `Laurl`,
 * `dashif:laurl`), absolute.
 *
 * Returns: (nullable): the licence server URL given by the manifest (ClearKey
 *   `Laurl`, `dashif:laurl`), absolute
 */
const char *
offline_protection_get_license_url (OfflineProtection *self)
{
  g_return_val_if_fail (OFFLINE_IS_PROTECTION (self), NULL);
  return self->license_url;
}

/**
 * offline_protection_get_method:
 * @self: a #OfflineProtection
 *
 * Gets the HLS `EXT-X-KEY` method (`AES-128`, `SAMPLE-AES`…).
 *
 * Returns: (nullable): the HLS `EXT-X-KEY` method (`AES-128`, `SAMPLE-AES`…)
 */
const char *
offline_protection_get_method (OfflineProtection *self)
{
  g_return_val_if_fail (OFFLINE_IS_PROTECTION (self), NULL);
  return self->method;
}

/**
 * offline_protection_get_key_uri:
 * @self: a #OfflineProtection
 *
 * Gets the absolute URI of the HLS key.
 *
 * Returns: (nullable): the absolute URI of the HLS key
 */
const char *
offline_protection_get_key_uri (OfflineProtection *self)
{
  g_return_val_if_fail (OFFLINE_IS_PROTECTION (self), NULL);
  return self->key_uri;
}

/**
 * offline_protection_get_key_format:
 * @self: a #OfflineProtection
 *
 * Gets the HLS `KEYFORMAT`.
 *
 * Returns: (nullable): the HLS `KEYFORMAT`
 */
const char *
offline_protection_get_key_format (OfflineProtection *self)
{
  g_return_val_if_fail (OFFLINE_IS_PROTECTION (self), NULL);
  return self->key_format;
}

/**
 * offline_protection_get_iv:
 * @self: a #OfflineProtection
 *
 * Gets the 16-byte initialisation vector.
 *
 * Returns: (transfer none) (nullable): the 16-byte initialisation vector
 */
GBytes *
offline_protection_get_iv (OfflineProtection *self)
{
  g_return_val_if_fail (OFFLINE_IS_PROTECTION (self), NULL);
  return self->iv;
}
