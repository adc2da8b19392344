/* hail-core-engine.h
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "hail-account-list.h"
#include "hail-engine.h"
#include "hail-media-devices.h"
#include "hail-sip-trace.h"
#include "hail-store.h"

G_BEGIN_DECLS

#define HAIL_TYPE_CORE_ENGINE (hail_core_engine_get_type ())

G_DECLARE_FINAL_TYPE (HailCoreEngine, hail_core_engine, HAIL, CORE_ENGINE, GObject)

/* The engine over src/core: one HailAccount per enabled account of
 * @accounts, its password read from the Secret Service. Nothing touches
 * the network until hail_core_engine_start(), so the window can be shown
 * first. */
HailEngine *hail_core_engine_new   (HailAccountList *accounts) G_GNUC_WARN_UNUSED_RESULT;
void        hail_core_engine_start (HailCoreEngine  *self);
gboolean    hail_core_engine_can_call (HailCoreEngine *self);
void        hail_core_engine_set_devices (HailCoreEngine   *self,
                                         HailMediaDevices *devices);
void        hail_core_engine_set_settings (HailCoreEngine *self,
                                          GSettings      *settings);
void        hail_core_engine_set_store (HailCoreEngine *self,
                                        HailStore      *store);
HailSipTrace *hail_core_engine_get_sip_trace (HailCoreEngine *self);

G_END_DECLS
