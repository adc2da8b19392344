/* hail-window.h
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "hail-account-list.h"
#include "hail-engine.h"
#include "hail-store.h"

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

/* Shows contacts, @conversations and calls from @store; called once it opened. */
void        hail_window_set_store        (HailWindow      *self,
                                          HailStore       *store,
                                          GListModel      *conversations);
void        hail_window_show_store_error (HailWindow      *self,
                                          const GError    *error);
void        hail_window_show_call_error  (HailWindow      *self,
                                          const char      *remote,
                                          const GError    *error);
void        hail_window_show_history     (HailWindow      *self);

G_END_DECLS
