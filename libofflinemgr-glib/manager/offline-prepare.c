/* offline-prepare.c: from an entry id to the tracks to store
 *
 * provider → media info → manifest (fetched, parsed) → track selection →
 * for HLS, the media playlists of the selected tracks (fetched in
 * parallel, parsed) → for Clear Key content, its licence → the poster
 * image, if the provider names one. Everything runs on the caller's
 * thread-default main context; nothing blocks.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "offline-clearkey-private.h"
#include "offline-dash-parser.h"
#include "offline-error.h"
#include "offline-hls-parser.h"
#include "offline-manifest.h"
#include "offline-manifest-parse.h"
#include "offline-manifest-private.h"
#include "offline-media-info-private.h"
#include "offline-prepare-private.h"

/* The task data; used on the caller's main context only. */
typedef struct {
  OfflineFetcher *fetcher;               /* (owned) */
  char *entry_id;                        /* (owned) */
  OfflineDownloadOptions *options;       /* (owned) (nullable) */
  OfflineMediaInfo *info;                /* (owned) once resolved */
  OfflineTrackSelection *selection;      /* (owned) once parsed */
  OfflineClearKeyLicense *license;       /* (owned) (nullable) once acquired */
  GBytes *poster;                        /* (owned) (nullable) once fetched */
  guint pending;                         /* media playlists still in flight */
  GError *error;                         /* (owned) the first playlist failure */
} Prepare;

/* One media playlist fetch; on the caller's main context. */
typedef struct {
  GTask *task;                           /* (owned) the preparation */
  OfflineTrack *track;                   /* (owned) the track it fills */
} PlaylistFetch;

static void
prepare_free (Prepare *prepare)
{
  g_object_unref (prepare->fetcher);
  g_free (prepare->entry_id);
  g_clear_object (&prepare->options);
  g_clear_object (&prepare->info);
  g_clear_object (&prepare->selection);
  g_clear_pointer (&prepare->license, offline_clearkey_license_free);
  g_clear_pointer (&prepare->poster, g_bytes_unref);
  g_clear_error (&prepare->error);
  g_free (prepare);
}

GError *
offline_prepare_map_error (GError     *error,
                           int         code,
                           const char *prefix)
{
  GError *mapped;

  if (error->domain == OFFLINE_ERROR)
    return error;
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    mapped = g_error_new_literal (OFFLINE_ERROR, OFFLINE_ERROR_CANCELLED, error->message);
  else
    mapped = g_error_new (OFFLINE_ERROR, code, "%s%s", prefix, error->message);
  g_error_free (error);
  return mapped;
}

/* Returns the error, mapped, on @task: TRUE if there was one. */
static gboolean
return_if_error (GTask  *task,
                 GError *error)
{
  if (error == NULL)
    return FALSE;
  g_task_return_error (task, offline_prepare_map_error (error, OFFLINE_ERROR_FAILED, ""));
  return TRUE;
}

/* The largest poster image fetched. */
#define POSTER_MAX_SIZE (16 * 1024 * 1024)

static void
poster_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Prepare *prepare = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  prepare->poster = offline_fetcher_fetch_bytes_finish (OFFLINE_FETCHER (source), result, NULL,
                                                        NULL, &error);
  /* (the fetcher reports a cancellation as OFFLINE_ERROR_CANCELLED) */
  if (g_error_matches (error, OFFLINE_ERROR, OFFLINE_ERROR_CANCELLED)) {
    g_task_return_error (task, g_steal_pointer (&error));
    return;
  }
  /* A poster is an extra: the entry is stored without it. */
  if (error != NULL)
    g_debug ("\"%s\" is stored without its poster: %s", prepare->entry_id, error->message);
  g_task_return_pointer (task, g_object_ref (prepare->selection), g_object_unref);
}

/* The selection (and licence) are complete: the poster, if there is one,
 * then done. */
static void
return_with_poster (GTask *task)
{
  Prepare *prepare = g_task_get_task_data (task);
  const char *poster_url = offline_media_info_get_poster_url (prepare->info);

  if (poster_url == NULL) {
    g_task_return_pointer (task, g_object_ref (prepare->selection), g_object_unref);
    return;
  }
  offline_fetcher_fetch_bytes_async (prepare->fetcher, poster_url, POSTER_MAX_SIZE,
                                     g_task_get_cancellable (task), poster_cb,
                                     g_object_ref (task));
}

static void
license_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Prepare *prepare = g_task_get_task_data (task);
  GError *error = NULL;

  prepare->license = offline_clearkey_acquire_finish (result, &error);
  if (prepare->license == NULL) {
    g_task_return_error (task, error);
    return;
  }
  /* the licence server's expiry, else the provider's */
  if (prepare->license->expiration == 0)
    prepare->license->expiration = offline_media_info_get_license_expiration (prepare->info);
  return_with_poster (task);
}

/* The selection is complete: its licence, if it needs one, then done. */
static void
return_selection (GTask *task)
{
  Prepare *prepare = g_task_get_task_data (task);
  g_autofree char *license_url = NULL;
  g_auto(GStrv) kids = NULL;
  GError *error = NULL;

  if (!offline_clearkey_plan (offline_track_selection_get_tracks (prepare->selection),
                              prepare->info, &license_url, &kids, &error)) {
    g_task_return_error (task, error);
    return;
  }
  if (kids == NULL) {
    return_with_poster (task);
    return;
  }
  offline_clearkey_acquire_async (prepare->fetcher, license_url, (const char * const *) kids,
                                  g_task_get_cancellable (task), license_cb, g_object_ref (task));
}

static void
playlist_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  PlaylistFetch *fetch = user_data;
  Prepare *prepare = g_task_get_task_data (fetch->task);
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *final_uri = NULL;
  GError *error = NULL;

  bytes = offline_fetcher_fetch_bytes_finish (OFFLINE_FETCHER (source), result, NULL,
                                              &final_uri, &error);
  if (bytes != NULL && prepare->error == NULL)
    offline_hls_parse_media_playlist (offline_track_selection_get_presentation (prepare->selection),
                                      fetch->track, bytes,
                                      final_uri ? final_uri
                                                : offline_track_get_playlist_uri (fetch->track),
                                      &error);
  if (error != NULL && prepare->error == NULL)
    prepare->error = g_steal_pointer (&error);
  g_clear_error (&error);

  if (--prepare->pending == 0) {
    if (!return_if_error (fetch->task, g_steal_pointer (&prepare->error)))
      return_selection (fetch->task);
  }
  g_object_unref (fetch->task);
  g_object_unref (fetch->track);
  g_free (fetch);
}

/* Selects the tracks of @presentation and fetches the media playlists the
 * selected ones still need. */
static void
select_tracks (GTask               *task,
               OfflinePresentation *presentation)
{
  Prepare *prepare = g_task_get_task_data (task);
  g_autofree char *shown = offline_uri_for_message (offline_presentation_get_uri (presentation));
  GPtrArray *tracks;

  if (offline_presentation_get_is_live (presentation)) {
    g_task_return_new_error (task, OFFLINE_ERROR, OFFLINE_ERROR_LIVE_NOT_SUPPORTED,
                             "%s: live content cannot be stored", shown);
    return;
  }
  prepare->selection = offline_track_selection_new (presentation, prepare->options);
  tracks = offline_track_selection_get_tracks (prepare->selection);
  if (tracks->len == 0) {
    g_task_return_new_error (task, OFFLINE_ERROR, OFFLINE_ERROR_MANIFEST_INVALID,
                             "%s: no track to download", shown);
    return;
  }

  /* Count first: a fetch may complete before the loop ends. */
  for (guint i = 0; i < tracks->len; i++)
    if (offline_track_needs_playlist (g_ptr_array_index (tracks, i)))
      prepare->pending++;
  if (prepare->pending == 0) {
    return_selection (task);
    return;
  }
  for (guint i = 0; i < tracks->len; i++) {
    OfflineTrack *track = g_ptr_array_index (tracks, i);
    PlaylistFetch *fetch;

    if (!offline_track_needs_playlist (track))
      continue;
    fetch = g_new0 (PlaylistFetch, 1);
    fetch->task = g_object_ref (task);
    fetch->track = g_object_ref (track);
    offline_fetcher_fetch_bytes_async (prepare->fetcher, offline_track_get_playlist_uri (track),
                                       OFFLINE_MANIFEST_MAX_SIZE, g_task_get_cancellable (task),
                                       playlist_cb, fetch);
  }
}

static OfflinePresentation *
parse_manifest (OfflineManifestFormat   format,
                GBytes                 *data,
                const char             *uri,
                const char             *content_type,
                GError                **error)
{
  switch (format) {
  case OFFLINE_MANIFEST_FORMAT_DASH:
    return offline_dash_parse (data, uri, error);
  case OFFLINE_MANIFEST_FORMAT_HLS:
    return offline_hls_parse (data, uri, error);
  case OFFLINE_MANIFEST_FORMAT_PROGRESSIVE:
  case OFFLINE_MANIFEST_FORMAT_UNKNOWN:
  default:
    return offline_manifest_parse (data, uri, content_type, error);
  }
}

static void
manifest_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Prepare *prepare = g_task_get_task_data (task);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(OfflinePresentation) presentation = NULL;
  g_autofree char *content_type = NULL;
  g_autofree char *final_uri = NULL;
  GError *error = NULL;

  bytes = offline_fetcher_fetch_bytes_finish (OFFLINE_FETCHER (source), result, &content_type,
                                              &final_uri, &error);
  if (bytes != NULL)
    presentation = parse_manifest (offline_media_info_get_format (prepare->info), bytes,
                                   final_uri ? final_uri
                                             : offline_media_info_get_manifest_url (prepare->info),
                                   content_type, &error);
  if (!return_if_error (task, error))
    select_tracks (task, presentation);
}

/* @info with @entry_id as its id (a provider may leave it unset). */
static OfflineMediaInfo *
with_entry_id (OfflineMediaInfo *info,
               const char       *entry_id)
{
  if (g_strcmp0 (offline_media_info_get_entry_id (info), entry_id) == 0)
    return g_object_ref (info);
  return offline_media_info_copy_with_entry_id (info, entry_id);
}

static void
media_info_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Prepare *prepare = g_task_get_task_data (task);
  g_autoptr(OfflineMediaInfo) info = NULL;
  g_autofree char *prefix = NULL;
  OfflineManifestFormat format;
  GCancellable *cancellable;
  const char *url;
  GError *error = NULL;

  info = offline_provider_get_media_info_finish (OFFLINE_PROVIDER (source), result, &error);
  if (error != NULL) {
    prefix = g_strdup_printf ("the provider failed to resolve \"%s\": ", prepare->entry_id);
    g_task_return_error (task, offline_prepare_map_error (error, OFFLINE_ERROR_PROVIDER_FAILED,
                                                          prefix));
    return;
  }
  if (info == NULL || offline_media_info_get_manifest_url (info) == NULL) {
    g_task_return_new_error (task, OFFLINE_ERROR, OFFLINE_ERROR_PROVIDER_FAILED,
                             "the provider gave no manifest URL for \"%s\"", prepare->entry_id);
    return;
  }
  prepare->info = with_entry_id (info, prepare->entry_id);
  url = offline_media_info_get_manifest_url (prepare->info);

  /* A progressive "manifest" is the media itself: nothing to fetch now. */
  format = offline_media_info_get_format (prepare->info);
  if (format == OFFLINE_MANIFEST_FORMAT_UNKNOWN)
    format = offline_manifest_guess_format (url, NULL, NULL);
  if (format == OFFLINE_MANIFEST_FORMAT_PROGRESSIVE) {
    g_autoptr(OfflinePresentation) presentation = offline_progressive_parse (url, NULL, &error);

    if (!return_if_error (task, error))
      select_tracks (task, presentation);
    return;
  }
  cancellable = g_task_get_cancellable (task);
  offline_fetcher_fetch_bytes_async (prepare->fetcher, url, OFFLINE_MANIFEST_MAX_SIZE,
                                     cancellable, manifest_cb, g_steal_pointer (&task));
}

void
offline_prepare_async (OfflineProvider        *provider,
                       OfflineFetcher         *fetcher,
                       const char             *entry_id,
                       OfflineDownloadOptions *options,
                       GCancellable           *cancellable,
                       GAsyncReadyCallback     callback,
                       gpointer                user_data)
{
  GTask *task = g_task_new (NULL, cancellable, callback, user_data);
  Prepare *prepare = g_new0 (Prepare, 1);

  g_task_set_source_tag (task, offline_prepare_async);
  /* Cancellation is reported as OFFLINE_ERROR_CANCELLED, by the steps. */
  g_task_set_check_cancellable (task, FALSE);
  prepare->fetcher = g_object_ref (fetcher);
  prepare->entry_id = g_strdup (entry_id);
  prepare->options = options ? g_object_ref (options) : NULL;
  g_task_set_task_data (task, prepare, (GDestroyNotify) prepare_free);

  offline_provider_get_media_info_async (provider, entry_id, cancellable, media_info_cb, task);
}

OfflineTrackSelection *
offline_prepare_finish (GAsyncResult            *result,
                        OfflineMediaInfo       **info,
                        OfflineClearKeyLicense **license,
                        GBytes                 **poster,
                        GError                 **error)
{
  OfflineTrackSelection *selection;
  Prepare *prepare;

  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);

  selection = g_task_propagate_pointer (G_TASK (result), error);
  if (selection == NULL)
    return NULL;
  prepare = g_task_get_task_data (G_TASK (result));
  if (info != NULL)
    *info = g_object_ref (prepare->info);
  if (license != NULL)
    *license = g_steal_pointer (&prepare->license);
  if (poster != NULL)
    *poster = g_steal_pointer (&prepare->poster);
  return selection;
}
