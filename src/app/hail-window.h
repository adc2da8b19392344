/* hail-window.h
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "hail-account-list.h"
#include "hail-engine.h"

G_BEGIN_DECLS

#define HAIL_TYPE_WINDOW (hail_window_get_type ())

G_DECLARE_FINAL_TYPE (HailWindow, hail_window, HAIL, WINDOW, AdwApplicationWindow)

HailWindow *hail_window_new          (GtkApplication  *application,
                                      GSettings       *settings,
                                      HailAccountList *accounts,
                                      HailEngine      *engine) G_GNUC_WARN_UNUSED_RESULT;
void        hail_window_show_dialpad (HailWindow      *self);
void        hail_window_dial         (HailWindow      *self,
                                      const char      *address);

G_END_DECLS
