/* hail-call-manager.h
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "hail-account.h"
#include "hail-call.h"

G_BEGIN_DECLS

/* Calls one account has at once; an incoming one beyond it is busy. */
#define HAIL_CALL_MANAGER_MAX_CALLS 8

#define HAIL_TYPE_CALL_MANAGER (hail_call_manager_get_type ())
G_DECLARE_FINAL_TYPE (HailCallManager, hail_call_manager, HAIL, CALL_MANAGER, GObject)

/* The calls of one account: takes its incoming INVITEs (ringing them and
 * emitting "incoming-call" (HailCall *call); a second one while in a call
 * is call waiting), routes in-dialog requests to their call and answers
 * 481 for dialogs it does not know. With do-not-disturb, incoming calls
 * are declined with 480. A peer's blind transfer (REFER) is placed as a
 * new call ("transfer-call" (HailCall *transfer, HailCall *original) is
 * emitted before it starts, to set its media), and the old one ends when
 * it is answered. An incoming call refused before ringing (an offer we
 * cannot meet gets 488 with a Warning saying why, a malformed one 400)
 * emits "call-refused" (const char *from, const char *reason, guint
 * status). Ended calls leave the list model. */
HailCallManager *hail_call_manager_new        (HailAccount         *account) G_GNUC_WARN_UNUSED_RESULT;
GListModel      *hail_call_manager_get_calls  (HailCallManager     *self);
void             hail_call_manager_set_codecs (HailCallManager     *self,
                                               const char * const  *codecs);
void             hail_call_manager_set_do_not_disturb (HailCallManager *self,
                                                       gboolean         dnd);
gboolean         hail_call_manager_get_do_not_disturb (HailCallManager *self);
/* A new outgoing call to @uri, in the list; start it with
 * hail_call_start_async(). */
HailCall        *hail_call_manager_dial       (HailCallManager     *self,
                                               const char          *uri,
                                               GError             **error) G_GNUC_WARN_UNUSED_RESULT;
/* Answers @call, putting every other established call on hold first. */
gboolean         hail_call_manager_answer     (HailCallManager     *self,
                                               HailCall            *call,
                                               GError             **error);
/* Call waiting: resumes the held @call and holds every other one. */
gboolean         hail_call_manager_resume     (HailCallManager     *self,
                                               HailCall            *call,
                                               GError             **error);
/* Whether @call is an unanswered incoming call while another call is
 * established (call waiting). */
gboolean         hail_call_manager_is_waiting (HailCallManager     *self,
                                               HailCall            *call);

G_END_DECLS
