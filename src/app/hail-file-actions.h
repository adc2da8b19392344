/* hail-file-actions.h
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "hail-engine.h"

G_BEGIN_DECLS

#define HAIL_TYPE_FILE_ACTIONS (hail_file_actions_get_type ())

G_DECLARE_FINAL_TYPE (HailFileActions, hail_file_actions, HAIL, FILE_ACTIONS, GObject)

/* The application's side of files in chats. Asks about each offer of
 * @engine with a notification whose buttons are the app actions
 * "accept-offer" and "decline-offer" (target: the offer's id), and
 * withdraws it once the offer is decided; "send-file" ((remote, path or
 * URI)) sends a file from the conversation's window, opened by the app
 * action "open-chat". The actions are added to @app here. */
HailFileActions *hail_file_actions_new (GApplication *app,
                                            HailEngine   *engine) G_GNUC_WARN_UNUSED_RESULT;

G_END_DECLS
