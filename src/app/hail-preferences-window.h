/* hail-preferences-window.h
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "hail-sip-trace.h"

#include <adwaita.h>

G_BEGIN_DECLS

#define HAIL_TYPE_PREFERENCES_WINDOW (hail_preferences_window_get_type ())

G_DECLARE_FINAL_TYPE (HailPreferencesWindow, hail_preferences_window,
                      HAIL, PREFERENCES_WINDOW, AdwPreferencesWindow)

HailPreferencesWindow *hail_preferences_window_new (GSettings *settings) G_GNUC_WARN_UNUSED_RESULT;
void                   hail_preferences_window_set_sip_trace (HailPreferencesWindow *self,
                                                              HailSipTrace          *trace);
/* Where received files go: the "download-folder" setting, else the XDG
 * download folder, else home. */
GFile                 *hail_preferences_window_dup_download_folder (GSettings *settings)
                                                                    G_GNUC_WARN_UNUSED_RESULT;

G_END_DECLS
