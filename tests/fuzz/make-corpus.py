#!/usr/bin/python3
# make-corpus.py: (re)writes the seed corpora tests/fuzz/corpus/<harness>/
# from tests/data and the fixtures of the tests (see README.md). Each seed
# is named after its content's SHA-1, so seeds are deduplicated and
# re-running adds nothing twice; the store's seed index is made by
# fuzz-store itself (see README.md). Run it from anywhere.
import hashlib
import json
import pathlib
import struct

here = pathlib.Path(__file__).resolve().parent
data = here.parent / 'data'
corpus = here / 'corpus'


def add(harness, content):
    if isinstance(content, str):
        content = content.encode()
    folder = corpus / harness
    folder.mkdir(parents=True, exist_ok=True)
    (folder / hashlib.sha1(content).hexdigest()).write_bytes(content)


def texts(pattern):
    return [p.read_bytes() for p in sorted(data.glob(pattern))]


# DASH: every MPD, and each case of dash-edge/bad-inputs.txt
mpds = texts('dash/*/*.mpd') + texts('dash-edge/*.mpd')
for mpd in mpds:
    add('fuzz-dash', mpd)
case = None
for line in (data / 'dash-edge' / 'bad-inputs.txt').read_text().splitlines(keepends=True):
    if line.startswith('==='):
        if case is not None:
            add('fuzz-dash', ''.join(case).rstrip())
        case = []
    elif case is not None:
        case.append(line)
if case:
    add('fuzz-dash', ''.join(case).rstrip())

# HLS: every playlist as the manifest; media playlists for each track of
# fuzz-hls-media's master (first byte: the track)
playlists = texts('hls/*/*.m3u8') + texts('hls-edge/*.m3u8') + texts('hls-edge/*/*.m3u8')
for playlist in playlists:
    add('fuzz-hls-master', playlist)
    if b'#EXT-X-STREAM-INF' not in playlist:
        for track in range(4):
            add('fuzz-hls-media', bytes([track]) + playlist)

# Selection: options (language, URI kind, bitrate) then a manifest
for i, manifest in enumerate(mpds[:8] + texts('hls/*/master.m3u8')[:4] + texts('hls-edge/*.m3u8')):
    kind = 1 if manifest.lstrip().startswith(b'#EXTM3U') else 0
    add('fuzz-selection', bytes([i % 13, kind]) + struct.pack('<I', [0, 200000, 10**9][i % 3]) + manifest)

# fMP4: a decode time shift, then init segments and the start of media
# segments (their moof and tfdt; the mdat is cut)
for name in ['dash/template-number/init-stream0.m4s', 'dash/edit-list/init-stream1.m4s',
             'dash/cenc/init-stream0.m4s', 'dash/template-number/chunk-stream0-00002.m4s',
             'dash/edit-list/chunk-stream1-00001.m4s', 'dash/cbcs/chunk-stream0-00001.m4s']:
    add('fuzz-fmp4', struct.pack('<q', 12800 * 6) + (data / name).read_bytes()[:3000])

# Clear Key licences (first byte: which key IDs are asked for)
k1 = {'kty': 'oct', 'kid': 'EAAAABAAEAAQABAAAAAAAA', 'k': 'ASNFZ4mrze8BI0VniavN7w'}
k2 = {'kty': 'oct', 'kid': '-_7__vv-__77_v_--_7_Pg', 'k': 'AAECAwQFBgcICQoLDA0ODw'}
for first, licence in [(0, {'keys': [k1, k2], 'type': 'temporary'}),
                       (1, {'keys': [k2], 'expiration': 1900000000}),
                       (0, {'keys': [k1, k2, {'kty': 'RSA', 'kid': 'x'}], 'expiration': 1.5e9}),
                       (1, {'keys': [k2], 'expiration': 'soon'})]:
    add('fuzz-clearkey', bytes([first]) + json.dumps(licence).encode())

# Media infos as offline_media_info_to_json() writes them
add('fuzz-media-info', json.dumps({
    'entry_id': 'e1', 'manifest_url': 'https://cdn.example.com/a/manifest.mpd', 'format': 'dash',
    'name': 'Sintel', 'description': 'A girl\nand a dragon', 'poster_url': 'https://x/p.jpg',
    'duration': 52.5, 'tags': ['dragon', 'animation'], 'license_url': 'https://l/ck',
    'drm_scheme': 'clearkey', 'license_expiration': 1900000000,
    'sources': [{'format': 'dash', 'url': 'https://cdn.example.com/a/manifest.mpd',
                 'drm': [{'scheme': 'clearkey', 'license_url': 'https://l/ck'},
                         {'scheme': 'widevine', 'license_url': None}]},
                {'format': 'hls', 'url': 'https://cdn.example.com/a/master.m3u8', 'drm': []}]},
    indent=2))
add('fuzz-media-info', '{"manifest_url": "https://cdn.example.com/clip.mp4", "format": "progressive"}')

# OVP multirequest answers (as tests/offline-test-ovp.c sends them; first
# byte: 1 when a widget session was asked for)
session = {'objectType': 'KalturaStartWidgetSessionResponse', 'partnerId': 4242,
           'ks': 'djJ8NDI0Mnx3aWRnZXQ=', 'userId': 0}
entry = {'objectType': 'KalturaBaseEntryListResponse', 'totalCount': 1, 'objects': [{
    'objectType': 'KalturaMediaEntry', 'id': '0_clear', 'name': 'Sintel',
    'description': 'A girl and a dragon.', 'thumbnailUrl': 'https://x/p/4242/thumbnail/entry_id/0_clear',
    'duration': 6, 'msDuration': 6040, 'type': 1, 'tags': 'dragon, short ,, animation', 'status': 2}]}
flavors = [{'objectType': 'KalturaFlavorAsset', 'id': '0_v1', 'width': 320, 'height': 180,
            'bitrate': 150, 'fileExt': 'mp4', 'status': 2},
           {'objectType': 'KalturaFlavorAsset', 'id': '0_a1', 'width': 0, 'height': 0,
            'bitrate': 48, 'fileExt': 'mp4', 'status': 2}]


def source(fmt, drm):
    return {'objectType': 'KalturaPlaybackSource', 'deliveryProfileId': '1033', 'format': fmt,
            'protocols': 'http,https', 'flavorIds': '0_v1,0_a1', 'drm': drm}


ck = {'objectType': 'KalturaDrmPlaybackPluginData', 'scheme': 'drm.CLEAR_KEY', 'licenseURL': 'https://l/ck'}
wv = {'objectType': 'KalturaDrmPlaybackPluginData', 'scheme': 'drm.WIDEVINE_CENC', 'licenseURL': 'https://l/wv'}
metadata = {'objectType': 'KalturaMetadataListResponse', 'objects': [], 'totalCount': 0}
contexts = [
    [source('applehttp', []), source('mpegdash', []), source('url', [])],
    [source('mpegdash', [wv, ck]), source('applehttp', [])],
]
for sources in contexts:
    context = {'objectType': 'KalturaPlaybackContext', 'sources': sources, 'flavorAssets': flavors,
               'actions': [], 'messages': [], 'playbackCaptions': [], 'bumperData': []}
    add('fuzz-ovp', b'\x01' + json.dumps([session, entry, context, metadata]).encode())
    add('fuzz-ovp', b'\x00' + json.dumps({'result': [entry, context, metadata]}).encode())
blocked = {'objectType': 'KalturaPlaybackContext', 'sources': [], 'flavorAssets': flavors,
           'actions': [{'objectType': 'KalturaAccessControlBlockAction', 'type': 1}],
           'messages': [{'objectType': 'KalturaAccessControlMessage', 'message': 'Un authorized',
                         'code': 'COUNTRY_RESTRICTED'}]}
add('fuzz-ovp', b'\x00' + json.dumps([entry, blocked, metadata]).encode())
exception = {'code': 'INVALID_KS', 'message': 'Invalid KS', 'objectType': 'KalturaAPIException',
             'args': {}}
add('fuzz-ovp', b'\x00' + json.dumps([exception] * 3).encode())

# Store: patches over fuzz-store's valid index (offset, length, bytes);
# the empty input reads the valid index as it is
add('fuzz-store', b'')
add('fuzz-store', struct.pack('<IB', 100, 4) + b'\xff\xff\xff\xff')
add('fuzz-store', struct.pack('<IB', 4096 + 8, 2) + b'\x00\x00' + struct.pack('<IB', 8192 + 100, 3) + b'abc')
