// examples/gjs/download.js: download an entry, then list the store
//
// SPDX-License-Identifier: LGPL-2.1-or-later
//
//   gjs -m download.js STORE-DIR ENTRY-ID MANIFEST-URL
//
// Prints the progress and state changes of the download, then every
// stored entry with its state and size. Exit status 0 when the download
// completed, 1 otherwise.
import GLib from 'gi://GLib';
import Offline from 'gi://Offline?version=1.0';
import System from 'system';

const [store, entryId, url] = ARGV;

// "completed" for Offline.DownloadState.COMPLETED (GJS enums are numbers)
function stateName(state) {
    return Object.keys(Offline.DownloadState).find(key => Offline.DownloadState[key] === state).toLowerCase();
}

if (ARGV.length !== 3) {
    printerr('usage: download.js STORE-DIR ENTRY-ID MANIFEST-URL');
    System.exit(2);
}

const provider = Offline.UrlProvider.new();
provider.add(entryId, url, entryId, null, null);
const manager = Offline.Manager.new(store, provider, null);
manager.connect('progress', (_manager, id, downloaded, expected, done, total) => {
    print(`progress ${id}: ${downloaded}/${expected} bytes, ${done}/${total} segments`);
});
manager.connect('state-changed', (_manager, id, oldState, newState) => {
    print(`state ${id}: ${stateName(oldState)} -> ${stateName(newState)}`);
});

const loop = new GLib.MainLoop(null, false);
let status = 1;
manager.download_async(entryId, new Offline.DownloadOptions(), null, (_manager, result) => {
    try {
        manager.download_finish(result);
    } catch (e) {
        // e.domain is Offline.error_quark(), e.code an Offline.Error
        printerr(`download failed: ${e.message}`);
        loop.quit();
        return;
    }
    manager.get_all_downloads_async(null, (_manager2, result2) => {
        for (const entry of manager.get_all_downloads_finish(result2)) {
            print(`stored ${entry.get_id()}: ${stateName(entry.get_state())}, ${entry.get_bytes_downloaded()} bytes`);
        }
        status = 0;
        loop.quit();
    });
});
loop.run();
System.exit(status);
