/* offline-protection-private.h: building protection info (library-internal)
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include "offline-protection.h"

G_BEGIN_DECLS

struct _OfflineProtection {
  GObject parent_instance;

  char *scheme_id_uri;  /* DASH ContentProtection@schemeIdUri, as written */
  char *system_id;      /* lower-case UUID from "urn:uuid:…", or NULL */
  char *default_kid;    /* cenc:default_KID, lower-case, as a UUID with dashes */
  GBytes *pssh;         /* decoded cenc:pssh box, or NULL */
  char *license_url;    /* ClearKey Laurl / dashif:laurl / ms:laurl, absolute */
  char *method;         /* HLS EXT-X-KEY METHOD (NONE, AES-128, SAMPLE-AES…) */
  char *key_uri;        /* HLS EXT-X-KEY URI, absolute */
  char *key_format;     /* HLS KEYFORMAT */
  GBytes *iv;           /* 16 bytes, or NULL */
};

G_GNUC_INTERNAL
OfflineProtection *offline_protection_new (void);
/* A copy of @self with @iv (16 bytes) as its IV. */
G_GNUC_INTERNAL
OfflineProtection *offline_protection_copy_with_iv (OfflineProtection *self,
                                                    const guint8       iv[16]);

G_END_DECLS
