/* hail-call-window.h
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "hail-call-view.h"
#include "hail-media-devices.h"

G_BEGIN_DECLS

#define HAIL_TYPE_CALL_WINDOW (hail_call_window_get_type ())

G_DECLARE_FINAL_TYPE (HailCallWindow, hail_call_window, HAIL, CALL_WINDOW, AdwWindow)

/* @devices (nullable) fills the microphone and speaker choices. */
HailCallWindow *hail_call_window_new         (HailCallView   *call,
                                              HailMediaDevices *devices)
                                              G_GNUC_WARN_UNUSED_RESULT;
/* The call in front: the one the controls act on. */
HailCallView   *hail_call_window_get_call    (HailCallWindow *self);
/* The second call (call waiting, or the one on hold), or NULL. */
HailCallView   *hail_call_window_get_other   (HailCallWindow *self);
/* Shows another call: in front if the current one has ended, else as the
 * waiting or held call. A third call is declined by the caller. */
gboolean        hail_call_window_add_call    (HailCallWindow *self,
                                              HailCallView   *call);

G_END_DECLS
