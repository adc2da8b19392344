/* hail-core-call.h
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "hail-call-manager.h"
#include "hail-call-view.h"
#include "hail-media-devices.h"
#include "hail-store.h"

G_BEGIN_DECLS

#define HAIL_TYPE_CORE_CALL (hail_core_call_get_type ())

G_DECLARE_FINAL_TYPE (HailCoreCall, hail_core_call, HAIL, CORE_CALL, GObject)

/* The user's preferences a call follows. */
typedef enum {
  HAIL_CORE_CALL_RING              = 1 << 0,  /* not the "silent" ring tone */
  HAIL_CORE_CALL_ECHO_CANCELLATION = 1 << 1,
} HailCoreCallFlags;

/* The call window's view of one src/core HailCall: its SIP state in the
 * window's terms, the duration, mute, hold by re-INVITE, DTMF, the media
 * session's levels and devices (starting on @input_device and
 * @output_device, ids as in "input-device" and "output-device"; NULL or
 * empty for the system's default), the ring (with HAIL_CORE_CALL_RING in
 * @flags) and ring-back tones, echo cancellation as @flags say, the end in words for people,
 * and the call's row in the history (@store, nullable). @devices
 * (nullable) resolves the ids the window sets as "input-device" and
 * "output-device". */
HailCoreCall     *hail_core_call_new         (HailCall          *call,
                                              HailCallManager   *manager,
                                              HailStore         *store,
                                              HailMediaDevices  *devices,
                                              const char        *input_device,
                                              const char        *output_device,
                                              HailCoreCallFlags  flags)
                                              G_GNUC_WARN_UNUSED_RESULT;
HailCall         *hail_core_call_get_call    (HailCoreCall      *self);
/* Sends the INVITE of an outgoing call; how it goes shows in "state" and
 * "end-reason". */
void              hail_core_call_start       (HailCoreCall      *self);

HailCallViewState hail_core_call_map_state   (HailSipSessionState  state,
                                              gboolean             outgoing);
/* Why a call ended, for people, or NULL when it ended normally or we
 * hung up ourselves. @name is the peer as shown. */
char             *hail_core_call_describe_end (guint               status,
                                               gboolean            outgoing,
                                               gboolean            was_answered,
                                               gboolean            hung_up_here,
                                               const GError       *media_error,
                                               const char         *name)
                                               G_GNUC_WARN_UNUSED_RESULT;

G_END_DECLS
