/* install-check.vala: built with `valac --pkg offlinemgr-glib-1.0` against
 * the installed vapi (tests/test_install.py); lists an empty store.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
async void list (Offline.Manager manager, MainLoop loop) {
  try {
    var entries = yield manager.get_all_downloads ();
    print ("vala entries: %u\n", entries.length);
  } catch (Error e) {
    printerr ("vala: %s\n", e.message);
  }
  loop.quit ();
}

int main (string[] args) {
  try {
    var manager = new Offline.Manager (args[1], new Offline.UrlProvider ());
    var loop = new MainLoop ();
    list.begin (manager, loop);
    loop.run ();
    return 0;
  } catch (Error e) {
    printerr ("vala: %s\n", e.message);
    return 1;
  }
}
