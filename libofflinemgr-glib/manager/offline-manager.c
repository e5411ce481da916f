/* offline-manager.c: downloads entries for offline playback
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "offline-enum-types.h"
#include "offline-error.h"
#include "offline-manager-private.h"
#include "offline-store-bus-private.h"

/**
 * OfflineManager:
 *
 * Stores DASH and HLS content for offline playback. An app asks for an
 * entry id; the #OfflineManager:provider resolves it to a manifest, the
 * #OfflineDownloadOptions pick the tracks, and their segments end up in the
 * store at #OfflineManager:store-path, byte for byte, however often the
 * download is paused, the process killed or the network fails.
 *
 * A manager belongs to the thread that made it: call its methods there,
 * with that thread's default main context running (see
 * g_main_context_push_thread_default()); its signals are emitted there.
 *
 * One manager (in any process) holds a store: it writes it. A manager made
 * on a store another process holds reads it (from its index, as committed:
 * offline_manager_get_all_downloads_async(),
 * offline_manager_get_downloaded_media_info_async()) and forwards its
 * changes (download, pause, resume, remove and their `_all` forms) to the
 * holder over D-Bus, on the session bus; the holder's signals are emitted
 * by this manager too. If the holder ends, the next change (or the name
 * going away on the bus) makes this manager the holder. Without a session
 * bus the changes fail with %OFFLINE_ERROR_STORE_LOCKED naming the holder.
 * See docs/dbus.md.
 *
 * Entries go through the #OfflineDownloadState states: a download starts
 * %OFFLINE_DOWNLOAD_STATE_QUEUED, becomes %OFFLINE_DOWNLOAD_STATE_DOWNLOADING
 * when one of #OfflineManager:max-parallel-downloads slots is free, and
 * ends %OFFLINE_DOWNLOAD_STATE_COMPLETED or %OFFLINE_DOWNLOAD_STATE_FAILED;
 * pause and a full disk make it %OFFLINE_DOWNLOAD_STATE_PAUSED, resume
 * queues it again. Every change emits #OfflineManager::state-changed.
 *
 * Downloads follow the network (#OfflineManager:network-monitor): while
 * there is none, or only a metered one and #OfflineManager:allow-metered
 * is %FALSE, entries that would download wait,
 * %OFFLINE_DOWNLOAD_STATE_WAITING, and go on by themselves when it is
 * back. Their operations do not finish meanwhile. See docs/network.md.
 *
 * Every method that takes an entry id first checks it: an id that is
 * empty, longer than 255 bytes or not valid UTF-8 ends the operation with
 * %OFFLINE_ERROR_INVALID_ARGUMENT, and nothing is stored or changed.
 *
 * A manager keeps itself alive while it downloads: pause them
 * (offline_manager_pause_all_async()) before dropping it to stop.
 *
 * ```python
 * provider = Offline.UrlProvider.new()
 * provider.add("movie", "https://example.com/movie.mpd", "Movie", None, None)
 * manager = Offline.Manager.new(None, provider, None)
 * manager.connect("progress", on_progress)
 * manager.download_async("movie", Offline.DownloadOptions(language="es"),
 *                        None, on_done)
 * ```
 */

enum {
  PROP_0,
  PROP_STORE_PATH,
  PROP_PROVIDER,
  PROP_MAX_PARALLEL_DOWNLOADS,
  PROP_MAX_PARALLEL_SEGMENTS,
  PROP_MAX_RETRIES,
  PROP_RETRY_DELAY,
  PROP_AUTO_RESUME,
  PROP_NETWORK_MONITOR,
  PROP_ALLOW_METERED,
  N_PROPS
};

enum {
  SIGNAL_PROGRESS,
  SIGNAL_STATE_CHANGED,
  SIGNAL_ERROR,
  SIGNAL_LICENSE_CHANGED,
  SIGNAL_ACCEPT_URL,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void offline_manager_initable_iface_init (GInitableIface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (OfflineManager, offline_manager, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_INITABLE,
                                                      offline_manager_initable_iface_init))

static void
offline_manager_dispose (GObject *object)
{
  OfflineManager *self = OFFLINE_MANAGER (object);

  offline_manager_unwatch_network (self);
  g_clear_pointer (&self->service, offline_store_service_free);
  g_clear_pointer (&self->remote, offline_manager_remote_free);
  g_clear_pointer (&self->former_remote, offline_manager_remote_free);
  if (self->auto_resume_source != NULL) {
    g_source_destroy (self->auto_resume_source);
    g_clear_pointer (&self->auto_resume_source, g_source_unref);
  }
  g_clear_object (&self->provider);

  G_OBJECT_CLASS (offline_manager_parent_class)->dispose (object);
}

static void
offline_manager_finalize (GObject *object)
{
  OfflineManager *self = OFFLINE_MANAGER (object);

  /* Active entries hold a reference: none is left here. */
  g_hash_table_unref (self->active);
  g_hash_table_unref (self->positions);
  g_clear_object (&self->store);
  g_object_unref (self->fetcher);
  g_clear_pointer (&self->recovered, g_ptr_array_unref);
  g_main_context_unref (self->context);
  g_free (self->store_path);

  G_OBJECT_CLASS (offline_manager_parent_class)->finalize (object);
}

static char *
default_store_path (void)
{
  const char *env = g_getenv ("OFFLINEMGR_STORE");

  if (env != NULL && *env != '\0')
    return g_strdup (env);
  return g_build_filename (g_get_user_data_dir (), "offlinemgr", NULL);
}

static void
offline_manager_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  OfflineManager *self = OFFLINE_MANAGER (object);

  switch (prop_id) {
  case PROP_STORE_PATH:
    g_value_set_string (value, self->store_path);
    break;
  case PROP_PROVIDER:
    g_value_set_object (value, self->provider);
    break;
  case PROP_MAX_PARALLEL_DOWNLOADS:
    g_value_set_uint (value, self->max_parallel_downloads);
    break;
  case PROP_MAX_PARALLEL_SEGMENTS:
    g_value_set_uint (value, self->max_parallel_segments);
    break;
  case PROP_MAX_RETRIES:
    g_value_set_uint (value, self->max_retries);
    break;
  case PROP_RETRY_DELAY:
    g_value_set_uint (value, self->retry_delay);
    break;
  case PROP_AUTO_RESUME:
    g_value_set_boolean (value, self->auto_resume);
    break;
  case PROP_NETWORK_MONITOR:
    g_value_set_object (value, self->network_monitor);
    break;
  case PROP_ALLOW_METERED:
    g_value_set_boolean (value, self->allow_metered);
    break;
  default:
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
  }
}

static void
offline_manager_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  OfflineManager *self = OFFLINE_MANAGER (object);

  switch (prop_id) {
  case PROP_STORE_PATH:
    g_free (self->store_path);
    self->store_path = g_value_dup_string (value);
    if (self->store_path == NULL || *self->store_path == '\0') {
      g_free (self->store_path);
      self->store_path = default_store_path ();
    }
    break;
  case PROP_PROVIDER:
    offline_manager_set_provider (self, g_value_get_object (value));
    break;
  case PROP_MAX_PARALLEL_DOWNLOADS:
    self->max_parallel_downloads = g_value_get_uint (value);
    offline_manager_schedule (self);
    break;
  case PROP_MAX_PARALLEL_SEGMENTS:
    self->max_parallel_segments = g_value_get_uint (value);
    offline_fetcher_set_max_per_host (self->fetcher, self->max_parallel_segments);
    break;
  case PROP_MAX_RETRIES:
    self->max_retries = g_value_get_uint (value);
    offline_fetcher_set_max_retries (self->fetcher, self->max_retries);
    break;
  case PROP_RETRY_DELAY:
    self->retry_delay = g_value_get_uint (value);
    offline_fetcher_set_retry_delay (self->fetcher, self->retry_delay);
    break;
  case PROP_AUTO_RESUME:
    self->auto_resume = g_value_get_boolean (value);
    break;
  case PROP_NETWORK_MONITOR:
    offline_manager_watch_network (self, g_value_get_object (value));
    break;
  case PROP_ALLOW_METERED:
    offline_manager_set_allow_metered (self, g_value_get_boolean (value));
    break;
  default:
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
  }
}

/* ::accept-url: the first handler that returns FALSE refuses the URL
 * and ends the emission. */
static gboolean
accept_url_accumulator (GSignalInvocationHint *hint,
                        GValue                *return_accu,
                        const GValue          *handler_return,
                        gpointer               data)
{
  gboolean accepted = g_value_get_boolean (handler_return);

  g_value_set_boolean (return_accu, accepted);
  return accepted;
}

static void
offline_manager_class_init (OfflineManagerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags rw = G_PARAM_READWRITE | G_PARAM_CONSTRUCT | G_PARAM_STATIC_STRINGS;
  const GParamFlags rw_once = G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS;

  object_class->dispose = offline_manager_dispose;
  object_class->finalize = offline_manager_finalize;
  object_class->get_property = offline_manager_get_property;
  object_class->set_property = offline_manager_set_property;

  /**
   * OfflineManager:store-path: (getter get_store_path)
   *
   * The directory of the store. %NULL at construction means
   * `$OFFLINEMGR_STORE` if set, else `offlinemgr` in
   * g_get_user_data_dir(); reading gives the path in use.
   */
  properties[PROP_STORE_PATH] = g_param_spec_string ("store-path", NULL, NULL, NULL, rw_once);

  /**
   * OfflineManager:provider: (getter get_provider) (setter set_provider)
   *
   * Resolves the entry ids given to offline_manager_download_async() and
   * offline_manager_get_media_info_async().
   */
  properties[PROP_PROVIDER] =
    g_param_spec_object ("provider", NULL, NULL, OFFLINE_TYPE_PROVIDER,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * OfflineManager:max-parallel-downloads:
   *
   * How many entries download at once; more wait
   * %OFFLINE_DOWNLOAD_STATE_QUEUED. Raising it starts queued entries.
   */
  properties[PROP_MAX_PARALLEL_DOWNLOADS] =
    g_param_spec_uint ("max-parallel-downloads", NULL, NULL, 1, 64, 3, rw);

  /**
   * OfflineManager:max-parallel-segments:
   *
   * The most requests for segments that are in flight at once, for one
   * entry and for one host (the host's share is taken by all the entries
   * that download from it).
   *
   * How many are in flight below this ceiling adapts to the link: it
   * starts at 6 (or this, if lower), grows while more requests bring
   * more bytes a second (a link with a long latency and short segments),
   * steps back when they do not, and halves when the host answers 429
   * or 503 or fails a request that is retried (see docs/network.md).
   * A change applies at once to the hosts' windows, and to an entry's
   * own bound from its next download or resume on.
   */
  properties[PROP_MAX_PARALLEL_SEGMENTS] =
    g_param_spec_uint ("max-parallel-segments", NULL, NULL, 1, 64, 24, rw);

  /**
   * OfflineManager:max-retries:
   *
   * How often a request that failed for a transient reason (connection
   * reset, timeout, 5xx, 429) is tried again before the download fails.
   * An unreachable host fails fast: a connection refused, a host or
   * network unreachable or a DNS server that does not answer is retried at
   * most twice (and at most this often), 250 ms apart at the most; a host
   * name that does not resolve is not retried. Either way the download
   * fails with %OFFLINE_ERROR_DOWNLOAD_FAILED.
   */
  properties[PROP_MAX_RETRIES] =
    g_param_spec_uint ("max-retries", NULL, NULL, 0, 100, 5, rw);

  /**
   * OfflineManager:retry-delay:
   *
   * The first backoff delay in milliseconds; it doubles on each retry,
   * with jitter.
   */
  properties[PROP_RETRY_DELAY] =
    g_param_spec_uint ("retry-delay", NULL, NULL, 0, 60000, 500, rw);

  /**
   * OfflineManager:auto-resume:
   *
   * Whether entries a crash left downloading are resumed once the manager
   * is initialised (from an idle of its main context, so that signal
   * handlers can be connected first); otherwise they are
   * %OFFLINE_DOWNLOAD_STATE_PAUSED.
   */
  properties[PROP_AUTO_RESUME] =
    g_param_spec_boolean ("auto-resume", NULL, NULL, FALSE, rw_once);

  /**
   * OfflineManager:network-monitor: (getter get_network_monitor)
   *
   * The #GNetworkMonitor the downloads follow; %NULL at construction means
   * g_network_monitor_get_default(). When it says the network is not
   * available (or, with #OfflineManager:allow-metered %FALSE, that it is
   * metered), running downloads stop, their requests cancelled without
   * spending a retry, and wait with the queued ones,
   * %OFFLINE_DOWNLOAD_STATE_WAITING; when it is usable again they are
   * %OFFLINE_DOWNLOAD_STATE_QUEUED and go on where they stopped. Each time
   * the network stops a download before it stored anything since the last
   * stop counts as a retry (#OfflineManager:max-retries): on a connection
   * that keeps flapping the download fails with
   * %OFFLINE_ERROR_DOWNLOAD_FAILED, as with a failing server.
   *
   * Preparing a download (the provider, the manifest) is not held back:
   * without a network it fails as any fetch does.
   */
  properties[PROP_NETWORK_MONITOR] =
    g_param_spec_object ("network-monitor", NULL, NULL, G_TYPE_NETWORK_MONITOR, rw_once);

  /**
   * OfflineManager:allow-metered: (getter get_allow_metered) (setter set_allow_metered)
   *
   * Whether downloads run on a metered network (as
   * #GNetworkMonitor:network-metered says). When %FALSE they wait there,
   * %OFFLINE_DOWNLOAD_STATE_WAITING, until the network is not metered or
   * this is set to %TRUE.
   */
  properties[PROP_ALLOW_METERED] =
    g_param_spec_boolean ("allow-metered", NULL, NULL, TRUE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * OfflineManager::progress:
   * @self: the manager
   * @entry_id: the entry
   * @bytes_downloaded: bytes stored and in flight; never decreases during
   *   one download run
   * @bytes_expected: the entry's size: exact for what is stored or has a
   *   known byte range, estimated for the rest; above @bytes_downloaded
   *   while @segments_done is below @segments_total, equal to it once
   *   they are equal
   * @segments_done: resources (segments, init segments, keys) stored
   * @segments_total: resources in all
   *
   * Emitted at most 4 times a second per entry while it downloads, and
   * once more when its download run ends.
   */
  signals[SIGNAL_PROGRESS] =
    g_signal_new ("progress", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 5, G_TYPE_STRING, G_TYPE_UINT64, G_TYPE_UINT64,
                  G_TYPE_UINT, G_TYPE_UINT);

  /**
   * OfflineManager::state-changed:
   * @self: the manager
   * @entry_id: the entry
   * @old_state: the state it leaves
   * @new_state: the state it enters
   *
   * Emitted on every change of an entry's state, after the store records
   * it. A new entry is created %OFFLINE_DOWNLOAD_STATE_QUEUED without an
   * emission; its first one is usually QUEUED → DOWNLOADING. Removed
   * entries emit nothing.
   */
  signals[SIGNAL_STATE_CHANGED] =
    g_signal_new ("state-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 3, G_TYPE_STRING, OFFLINE_TYPE_DOWNLOAD_STATE,
                  OFFLINE_TYPE_DOWNLOAD_STATE);

  /**
   * OfflineManager::error:
   * @self: the manager
   * @entry_id: the entry
   * @error: what went wrong, in the %OFFLINE_ERROR domain
   *
   * Emitted when a stored entry's download fails (it becomes
   * %OFFLINE_DOWNLOAD_STATE_FAILED) or stops on a full disk
   * (%OFFLINE_ERROR_OUT_OF_SPACE; it becomes
   * %OFFLINE_DOWNLOAD_STATE_PAUSED), with the error its download and
   * resume operations finish with. Failures before an entry is stored
   * (unknown id, bad manifest) are only reported to
   * offline_manager_download_finish().
   */
  signals[SIGNAL_ERROR] =
    g_signal_new ("error", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_ERROR);

  /**
   * OfflineManager::license-changed:
   * @self: the manager
   * @entry_id: the entry
   * @expiration: the new licence's expiry (Unix seconds), 0 if it has none
   *
   * Emitted when offline_manager_renew_license_async() stored a new
   * licence for the entry, before the operation finishes: what an app
   * shows of the entry's licence (its #OfflineEntry:license-expiration) is
   * out of date.
   */
  signals[SIGNAL_LICENSE_CHANGED] =
    g_signal_new ("license-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_INT64);

  /**
   * OfflineManager::accept-url:
   * @self: the manager
   * @url: the absolute http or https URL about to be fetched
   *
   * Emitted before each URL the manager fetches is requested: the
   * manifest, each media playlist, segment and key, the poster and the
   * licence server, and each redirect target (every hop, before it is
   * followed). Return %FALSE to refuse the URL: its fetch fails with
   * %OFFLINE_ERROR_INVALID_URI without a request, and so does the
   * operation that needed it (a download that already stored its entry
   * becomes %OFFLINE_DOWNLOAD_STATE_FAILED). The first handler that
   * returns %FALSE ends the emission; without a handler every URL that
   * passed the built-in rules is fetched.
   *
   * The built-in rules come first and cannot be widened: only absolute
   * `http` and `https` URLs of at most 16 KiB, without whitespace or
   * control characters, are ever fetched (never `file:`, `data:`…); a
   * handler only restricts further (hosts, ports, paths). It is emitted on
   * the manager's thread, possibly many times a second during a download:
   * it must not block.
   *
   * Downloads that another process forwards to this manager (the holder
   * of the store, see docs/dbus.md) are fetched here and vetted by this
   * manager's handlers; a manager that forwards its downloads to another
   * process's holder does no fetching and is not asked. See
   * docs/security.md.
   *
   * Returns: %TRUE to fetch @url, %FALSE to refuse it
   */
  signals[SIGNAL_ACCEPT_URL] =
    g_signal_new ("accept-url", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  accept_url_accumulator, NULL, NULL, G_TYPE_BOOLEAN, 1, G_TYPE_STRING);
}

/* The fetcher's URL filter (offline-fetch-url-filter-private.h): emits
 * ::accept-url. @user_data is a GWeakRef to the manager: a fetch that
 * outlives it is refused. */
static gboolean
accept_url (const char *uri,
            gpointer    user_data)
{
  g_autoptr(OfflineManager) self = g_weak_ref_get (user_data);
  gboolean accepted = FALSE;

  if (self == NULL)
    return FALSE;
  if (!g_signal_has_handler_pending (self, signals[SIGNAL_ACCEPT_URL], 0, FALSE))
    return TRUE;
  g_signal_emit (self, signals[SIGNAL_ACCEPT_URL], 0, uri, &accepted);
  return accepted;
}

static void
weak_ref_free (gpointer weak_ref)
{
  g_weak_ref_clear (weak_ref);
  g_free (weak_ref);
}

static void
offline_manager_init (OfflineManager *self)
{
  GWeakRef *weak_self = g_new0 (GWeakRef, 1);

  self->context = g_main_context_ref_thread_default ();
  self->fetcher = offline_fetcher_new ();
  g_weak_ref_init (weak_self, self);
  offline_fetcher_set_url_filter (self->fetcher, accept_url, weak_self, weak_ref_free);
  self->active = g_hash_table_new (g_str_hash, g_str_equal);
  self->positions = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_queue_init (&self->queued);
  self->allow_metered = TRUE;
  self->network_usable = TRUE;
}

void
offline_manager_emit_state_changed (OfflineManager       *self,
                                    const char           *entry_id,
                                    OfflineDownloadState  old_state,
                                    OfflineDownloadState  new_state)
{
  g_signal_emit (self, signals[SIGNAL_STATE_CHANGED], 0, entry_id, old_state, new_state);
}

void
offline_manager_emit_progress (OfflineManager *self,
                               const char     *entry_id,
                               guint64         bytes_downloaded,
                               guint64         bytes_expected,
                               guint           segments_done,
                               guint           segments_total)
{
  g_signal_emit (self, signals[SIGNAL_PROGRESS], 0, entry_id, bytes_downloaded, bytes_expected,
                 segments_done, segments_total);
}

void
offline_manager_emit_license_changed (OfflineManager *self,
                                      const char     *entry_id,
                                      gint64          expiration)
{
  g_signal_emit (self, signals[SIGNAL_LICENSE_CHANGED], 0, entry_id, expiration);
}

void
offline_manager_emit_error (OfflineManager *self,
                            const char     *entry_id,
                            const GError   *error)
{
  g_signal_emit (self, signals[SIGNAL_ERROR], 0, entry_id, error);
}

static gboolean
auto_resume_cb (gpointer user_data)
{
  OfflineManager *self = user_data;
  g_autoptr(GPtrArray) ids = g_steal_pointer (&self->recovered);

  g_clear_pointer (&self->auto_resume_source, g_source_unref);
  for (guint i = 0; ids != NULL && i < ids->len; i++) {
    g_autoptr(GError) error = NULL;

    if (!offline_manager_resume_entry (self, g_ptr_array_index (ids, i), NULL, &error))
      g_warning ("cannot resume \"%s\": %s", (const char *) g_ptr_array_index (ids, i),
                 error->message);
  }
  return G_SOURCE_REMOVE;
}

/* The holder's signals, from the bus. */
static void
remote_progress_cb (const char *entry_id,
                    guint64     bytes_downloaded,
                    guint64     bytes_expected,
                    guint       segments_done,
                    guint       segments_total,
                    gpointer    user_data)
{
  offline_manager_emit_progress (user_data, entry_id, bytes_downloaded, bytes_expected,
                                 segments_done, segments_total);
}

static void
remote_state_changed_cb (const char           *entry_id,
                         OfflineDownloadState  old_state,
                         OfflineDownloadState  new_state,
                         gpointer              user_data)
{
  offline_manager_emit_state_changed (user_data, entry_id, old_state, new_state);
}

static void
remote_error_cb (const char   *entry_id,
                 const GError *error,
                 gpointer      user_data)
{
  offline_manager_emit_error (user_data, entry_id, error);
}

static void
remote_license_changed_cb (const char *entry_id,
                           gint64      expiration,
                           gpointer    user_data)
{
  offline_manager_emit_license_changed (user_data, entry_id, expiration);
}

static void
remote_holder_gone_cb (gpointer user_data)
{
  offline_manager_is_remote (user_data);
}

static const OfflineManagerRemoteCallbacks remote_callbacks = {
  remote_progress_cb,
  remote_state_changed_cb,
  remote_error_cb,
  remote_license_changed_cb,
  remote_holder_gone_cb,
};

/* Holding the store: other processes reach it on the session bus, if
 * there is one. */
static void
start_service (OfflineManager *self)
{
  g_autoptr(GDBusConnection) connection = offline_store_bus_connect ();

  if (connection != NULL)
    self->service = offline_store_service_new (self, connection,
                                               offline_store_get_path (self->store));
}

gboolean
offline_manager_is_remote (OfflineManager *self)
{
  g_autoptr(OfflineStore) store = NULL;
  g_autoptr(GError) error = NULL;

  if (self->remote == NULL)
    return FALSE;
  /* Entries the holder left running become PAUSED, and stay so. */
  store = offline_store_open (self->store_path, NULL, &error);
  if (store == NULL) {
    if (!g_error_matches (error, OFFLINE_ERROR, OFFLINE_ERROR_STORE_LOCKED))
      g_debug ("Cannot take the store %s over: %s", self->store_path, error->message);
    return TRUE;
  }
  g_debug ("The holder of %s ended: this process holds it now", self->store_path);
  g_set_object (&self->store, store);
  /* calls under way may still use it */
  self->former_remote = g_steal_pointer (&self->remote);
  offline_manager_remote_mute (self->former_remote);
  start_service (self);
  return FALSE;
}

static gboolean
offline_manager_initable_init (GInitable     *initable,
                               GCancellable  *cancellable,
                               GError       **error)
{
  OfflineManager *self = OFFLINE_MANAGER (initable);
  GError *locked = NULL;

  if (self->store != NULL)
    return TRUE;
  self->recovered = g_ptr_array_new_with_free_func (g_free);
  self->store = offline_store_open (self->store_path, self->recovered, &locked);
  if (self->store == NULL &&
      g_error_matches (locked, OFFLINE_ERROR, OFFLINE_ERROR_STORE_LOCKED)) {
    /* Another process holds it: read it, and ask that one for changes. */
    self->store = offline_store_open_readonly (self->store_path, NULL);
    if (self->store != NULL) {
      g_clear_error (&locked);
      self->remote = offline_manager_remote_new (self->store_path, &remote_callbacks, self);
      return TRUE;
    }
  }
  if (self->store == NULL) {
    g_propagate_error (error, locked);
    return FALSE;
  }
  start_service (self);

  if (self->auto_resume && self->recovered->len > 0) {
    self->auto_resume_source = g_idle_source_new ();
    g_source_set_callback (self->auto_resume_source, auto_resume_cb, self, NULL);
    g_source_set_static_name (self->auto_resume_source, "[offlinemgr] auto-resume");
    g_source_attach (self->auto_resume_source, self->context);
  }
  return TRUE;
}

static void
offline_manager_initable_iface_init (GInitableIface *iface)
{
  iface->init = offline_manager_initable_init;
}

/**
 * offline_manager_new:
 * @store_path: (nullable): the store directory, %NULL for the default (see
 *   #OfflineManager:store-path)
 * @provider: (nullable): resolves entry ids
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Opens (creating it if needed) the store at @store_path. Entries a crash
 * left downloading become %OFFLINE_DOWNLOAD_STATE_PAUSED. If another
 * process holds the store, the manager reads it and forwards its changes
 * to that process (see #OfflineManager). Use g_initable_new() to set other
 * properties at construction.
 *
 * Returns: (transfer full): the manager, or %NULL with @error set:
 *   %OFFLINE_ERROR_STORE if it cannot be created or read,
 *   %OFFLINE_ERROR_STORE_LOCKED if another process holds it and has not
 *   made its index yet
 */
OfflineManager *
offline_manager_new (const char       *store_path,
                     OfflineProvider  *provider,
                     GCancellable     *cancellable,
                     GError          **error)
{
  g_return_val_if_fail (provider == NULL || OFFLINE_IS_PROVIDER (provider), NULL);

  return g_initable_new (OFFLINE_TYPE_MANAGER, cancellable, error,
                         "store-path", store_path,
                         "provider", provider,
                         NULL);
}

/**
 * offline_manager_get_store_path:
 * @self: a #OfflineManager
 *
 * Gets the directory of the store.
 *
 * Returns: the directory of the store
 */
const char *
offline_manager_get_store_path (OfflineManager *self)
{
  g_return_val_if_fail (OFFLINE_IS_MANAGER (self), NULL);
  return self->store_path;
}

/**
 * offline_manager_get_provider:
 * @self: a #OfflineManager
 *
 * Gets the provider.
 *
 * Returns: (transfer none) (nullable): the provider
 */
OfflineProvider *
offline_manager_get_provider (OfflineManager *self)
{
  g_return_val_if_fail (OFFLINE_IS_MANAGER (self), NULL);
  return self->provider;
}

/**
 * offline_manager_set_provider:
 * @self: a #OfflineManager
 * @provider: (nullable): resolves entry ids
 *
 * Sets #OfflineManager:provider; downloads being prepared keep the one
 * they started with.
 */
void
offline_manager_set_provider (OfflineManager  *self,
                              OfflineProvider *provider)
{
  g_return_if_fail (OFFLINE_IS_MANAGER (self));
  g_return_if_fail (provider == NULL || OFFLINE_IS_PROVIDER (provider));

  if (g_set_object (&self->provider, provider))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PROVIDER]);
}
