/* offline-fetch-url-filter.c: which URLs the fetcher may fetch
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <string.h>

#include "offline-fetch-url-filter-private.h"
#include "offline-manifest-private.h"

struct _OfflineFetchUrlFilter {
  OfflineFetchUrlFilterFunc func;
  gpointer user_data;
  GDestroyNotify destroy;
};

static void
filter_clear (OfflineFetchUrlFilter *filter)
{
  if (filter->destroy != NULL)
    filter->destroy (filter->user_data);
}

OfflineFetchUrlFilter *
offline_fetch_url_filter_new (OfflineFetchUrlFilterFunc func,
                              gpointer                  user_data,
                              GDestroyNotify            destroy)
{
  OfflineFetchUrlFilter *filter = g_atomic_rc_box_new0 (OfflineFetchUrlFilter);

  filter->func = func;
  filter->user_data = user_data;
  filter->destroy = destroy;
  return filter;
}

OfflineFetchUrlFilter *
offline_fetch_url_filter_ref (OfflineFetchUrlFilter *filter)
{
  return g_atomic_rc_box_acquire (filter);
}

void
offline_fetch_url_filter_unref (OfflineFetchUrlFilter *filter)
{
  g_atomic_rc_box_release_full (filter, (GDestroyNotify) filter_clear);
}

const char *
offline_fetch_url_check (OfflineFetchUrlFilter *filter,
                         const char            *uri)
{
  /* the length first: the other rules read the whole URL */
  if (strnlen (uri, OFFLINE_MANIFEST_MAX_URI_LENGTH + 1) > OFFLINE_MANIFEST_MAX_URI_LENGTH)
    return "longer than 16 KiB";
  if (!offline_uri_is_fetchable (uri))
    return "not an http(s) URL";
  if (filter != NULL && !filter->func (uri, filter->user_data))
    return "not accepted by the application";
  return NULL;
}
