/* hail-call-view.h
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* One call as the call window sees it. src/core's HailCall will implement
 * this (issue #4); the window only reads the properties and calls the
 * methods below, so it never speaks SIP. */

typedef enum {
  HAIL_CALL_VIEW_STATE_INCOMING,   /* Ringing here: Answer or Decline. */
  HAIL_CALL_VIEW_STATE_DIALING,    /* INVITE sent, nothing back yet. */
  HAIL_CALL_VIEW_STATE_RINGING,    /* The peer is ringing (180/183). */
  HAIL_CALL_VIEW_STATE_ACTIVE,     /* Answered; media flowing. */
  HAIL_CALL_VIEW_STATE_ENDED,      /* Over; "end-reason" says why when it failed. */
} HailCallViewState;

#define HAIL_TYPE_CALL_VIEW_STATE (hail_call_view_state_get_type ())
GType hail_call_view_state_get_type (void) G_GNUC_CONST;

#define HAIL_TYPE_CALL_VIEW (hail_call_view_get_type ())

G_DECLARE_INTERFACE (HailCallView, hail_call_view, HAIL, CALL_VIEW, GObject)

/* Properties, all with notify: "id" (string, unique in the process),
 * "peer" (string: the remote address), "peer-name" (string, nullable),
 * "state" (HailCallViewState), "duration" (uint, seconds since answered),
 * "muted" and "held" (boolean, writable), "input-level" and "output-level"
 * (double, 0 to 1), "input-device" and "output-device" (string ids of
 * HailMediaDevice, writable, nullable for the default), "end-reason"
 * (string, nullable: a sentence for people when the call failed). */
struct _HailCallViewInterface {
  GTypeInterface parent_iface;

  gboolean (*answer)    (HailCallView  *self,
                         GError       **error);
  gboolean (*hang_up)   (HailCallView  *self,
                         GError       **error);
  gboolean (*send_dtmf) (HailCallView  *self,
                         char           digit,
                         GError       **error);
  /* Optional: without it, refuse_busy() hangs up. */
  gboolean (*refuse_busy) (HailCallView  *self,
                           GError       **error);
};

char              *hail_call_view_dup_id           (HailCallView  *self) G_GNUC_WARN_UNUSED_RESULT;
HailCallViewState  hail_call_view_get_state        (HailCallView  *self);
char              *hail_call_view_dup_peer         (HailCallView  *self) G_GNUC_WARN_UNUSED_RESULT;
char              *hail_call_view_dup_display_name (HailCallView  *self) G_GNUC_WARN_UNUSED_RESULT;
/* Answers an incoming call. */
gboolean           hail_call_view_answer           (HailCallView  *self,
                                                    GError       **error);
/* Declines an incoming call, cancels an outgoing one or ends an active one. */
gboolean           hail_call_view_hang_up          (HailCallView  *self,
                                                    GError       **error);
/* Refuses an incoming call the user never saw (two calls already in the
 * window): the caller hears busy, and the history counts it as missed. */
gboolean           hail_call_view_refuse_busy      (HailCallView  *self,
                                                    GError       **error);
/* @digit is one of 0-9, *, #, A-D. */
gboolean           hail_call_view_send_dtmf        (HailCallView  *self,
                                                    char           digit,
                                                    GError       **error);
char              *hail_call_view_format_duration  (guint          seconds)
                                                    G_GNUC_WARN_UNUSED_RESULT;

G_END_DECLS
