/* offline.h: the umbrella header of libofflinemgr-glib
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#define __OFFLINE_H_INSIDE__

#include "offline-export.h"
#include "offline-error.h"
#include "offline-enum-types.h"
#include "offline-protection.h"
#include "offline-segment.h"
#include "offline-track.h"
#include "offline-presentation.h"
#include "offline-manifest.h"
#include "offline-dash-parser.h"
#include "offline-hls-parser.h"
#include "offline-manifest-parse.h"
#include "offline-download-options.h"
#include "offline-track-selection.h"
#include "offline-media-source.h"
#include "offline-media-info.h"
#include "offline-provider.h"
#include "offline-url-provider.h"
#include "offline-ovp-provider.h"
#include "offline-entry.h"
#include "offline-manager.h"

#undef __OFFLINE_H_INSIDE__
