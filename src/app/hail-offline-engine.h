/* hail-offline-engine.h
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "hail-engine.h"

G_BEGIN_DECLS

/* The engine of a build without the SIP core: never available, and every
 * check fails with HAIL_ENGINE_ERROR_UNAVAILABLE saying so. */

#define HAIL_TYPE_OFFLINE_ENGINE (hail_offline_engine_get_type ())

G_DECLARE_FINAL_TYPE (HailOfflineEngine, hail_offline_engine, HAIL, OFFLINE_ENGINE, GObject)

HailEngine *hail_offline_engine_new (void) G_GNUC_WARN_UNUSED_RESULT;

G_END_DECLS
