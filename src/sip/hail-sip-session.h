/* hail-sip-session.h
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "hail-sip-auth.h"
#include "hail-sip-dialog.h"
#include "hail-sip-server-transaction.h"
#include "hail-sip-stack.h"

G_BEGIN_DECLS

/* Redirections (3xx) one call follows before it gives up. */
#define HAIL_SIP_SESSION_MAX_REDIRECTS 5
/* Session interval we ask for and accept at least (RFC 4028 §4, §5). */
#define HAIL_SIP_SESSION_EXPIRES     1800
#define HAIL_SIP_SESSION_MIN_SE      90
/* The largest Min-SE of a 422 we follow: a day. */
#define HAIL_SIP_SESSION_MAX_SE      86400
/* 422 answers (RFC 4028 §6) followed per request before giving up. */
#define HAIL_SIP_SESSION_MAX_422     2
/* Times a re-INVITE answered 491 is tried again (RFC 3261 §14.1). */
#define HAIL_SIP_SESSION_MAX_GLARE   3
/* What a session puts in Allow and Supported. */
#define HAIL_SIP_SESSION_ALLOW "INVITE, ACK, CANCEL, BYE, OPTIONS, MESSAGE, INFO, UPDATE, REFER, NOTIFY"
#define HAIL_SIP_SESSION_SUPPORTED "timer"

/**
 * HailSipSessionState:
 * @HAIL_SIP_SESSION_STATE_IDLE: outgoing, nothing sent yet
 * @HAIL_SIP_SESSION_STATE_CALLING: our INVITE is on its way
 * @HAIL_SIP_SESSION_STATE_INCOMING: an INVITE arrived and waits for us
 * @HAIL_SIP_SESSION_STATE_RINGING: 180 sent or received
 * @HAIL_SIP_SESSION_STATE_EARLY: a provisional response carried SDP (early media)
 * @HAIL_SIP_SESSION_STATE_CONNECTING: incoming: 200 sent, waiting for the ACK
 * @HAIL_SIP_SESSION_STATE_ESTABLISHED: the 2xx was acknowledged
 * @HAIL_SIP_SESSION_STATE_TERMINATING: CANCEL or BYE sent
 * @HAIL_SIP_SESSION_STATE_TERMINATED: over; see the status and reason
 *
 * Where an INVITE session (RFC 3261 §13-15) is.
 */
typedef enum {
  HAIL_SIP_SESSION_STATE_IDLE,
  HAIL_SIP_SESSION_STATE_CALLING,
  HAIL_SIP_SESSION_STATE_INCOMING,
  HAIL_SIP_SESSION_STATE_RINGING,
  HAIL_SIP_SESSION_STATE_EARLY,
  HAIL_SIP_SESSION_STATE_CONNECTING,
  HAIL_SIP_SESSION_STATE_ESTABLISHED,
  HAIL_SIP_SESSION_STATE_TERMINATING,
  HAIL_SIP_SESSION_STATE_TERMINATED,
} HailSipSessionState;

#define HAIL_TYPE_SIP_SESSION_STATE (hail_sip_session_state_get_type ())
GType hail_sip_session_state_get_type (void) G_GNUC_CONST;
const char *hail_sip_session_state_to_string (HailSipSessionState state);

#define HAIL_TYPE_SIP_SESSION (hail_sip_session_get_type ())
G_DECLARE_FINAL_TYPE (HailSipSession, hail_sip_session, HAIL, SIP_SESSION, GObject)

/* An INVITE session, outgoing or incoming, with its dialog. It carries
 * SDP bodies without reading them: "remote-offer" (GBytes *offer, returns
 * a new GBytes answer or NULL to refuse with 488) runs for an offer in a
 * re-INVITE or UPDATE; "remote-answer" (GBytes *answer) for the answer to
 * our offer, early (183) or final. An offerless re-INVITE gets
 * "remote-offer" with a NULL offer: the handler returns our offer, and
 * the ACK's answer comes to "remote-answer". The "state"
 * property says where the session is; "status" and "reason" give the
 * response that ended it (0 after a BYE). */
HailSipSession      *hail_sip_session_new_outgoing    (HailSipStack             *stack,
                                                       HailSipAuth              *auth,
                                                       HailSipUri               *local,
                                                       HailSipUri               *remote,
                                                       HailSipUri               *proxy,
                                                       gint                      kind) G_GNUC_WARN_UNUSED_RESULT;
/* Takes an incoming INVITE. Fails (the caller answers 400) when it cannot
 * start a dialog: no From tag, no usable Contact. */
HailSipSession      *hail_sip_session_new_incoming    (HailSipStack             *stack,
                                                       HailSipServerTransaction *txn,
                                                       HailSipMessage           *request,
                                                       HailSipUri               *local,
                                                       GError                  **error) G_GNUC_WARN_UNUSED_RESULT;

HailSipSessionState  hail_sip_session_get_state       (HailSipSession           *self);
gboolean             hail_sip_session_get_outgoing    (HailSipSession           *self);
guint                hail_sip_session_get_status      (HailSipSession           *self);
const char          *hail_sip_session_get_reason      (HailSipSession           *self);
const char          *hail_sip_session_get_call_id     (HailSipSession           *self);
/* The peer: To of an outgoing call, From of an incoming one. */
HailSipUri          *hail_sip_session_get_remote_uri  (HailSipSession           *self);
/* NULL until a provisional or final response with a tag. */
HailSipDialog       *hail_sip_session_get_dialog      (HailSipSession           *self);
/* The SDP of the incoming INVITE, or NULL (an offerless INVITE). */
GBytes              *hail_sip_session_get_remote_offer (HailSipSession          *self);
/* Whether the peer asked for refreshes (RFC 4028) and at what interval. */
guint                hail_sip_session_get_session_expires (HailSipSession       *self);
/* Whether we are the refresher of the negotiated session timer. */
gboolean             hail_sip_session_get_refresher   (HailSipSession           *self);
/* The session interval our INVITE asks for (HAIL_SIP_SESSION_EXPIRES)
 * and the least we accept (Min-SE, HAIL_SIP_SESSION_MIN_SE), in seconds.
 * RFC 4028 §4 puts Min-SE at 90 s at least; a lower one is only for
 * tests that drive the timers. Set before the INVITE or the answer. */
void                 hail_sip_session_set_timer       (HailSipSession           *self,
                                                       guint                     expires,
                                                       guint                     min_se);
/* Incoming (RFC 4028 §8.1): when the INVITE asks for a session interval
 * under our Min-SE, answers 422 with our Min-SE, ends the session and
 * fails with HAIL_SIP_STATUS_ERROR 422; TRUE when the INVITE may go on. */
gboolean             hail_sip_session_check_timer     (HailSipSession           *self,
                                                       GError                  **error);

/* Outgoing: sends the INVITE with @offer, answers challenges, follows
 * redirects, and completes when the 2xx is acknowledged or the call
 * failed: HAIL_SIP_STATUS_ERROR with the final status (487 once
 * cancelled), HAIL_SIP_ERROR_TIMEOUT, or a transport error. */
void                 hail_sip_session_invite_async    (HailSipSession           *self,
                                                       GBytes                   *offer,
                                                       GCancellable             *cancellable,
                                                       GAsyncReadyCallback       callback,
                                                       gpointer                  user_data);
gboolean             hail_sip_session_invite_finish   (HailSipSession           *self,
                                                       GAsyncResult             *result,
                                                       GError                  **error);

/* Incoming: 180 Ringing, or 183 with @early_answer. */
gboolean             hail_sip_session_ring            (HailSipSession           *self,
                                                       GBytes                   *early_answer,
                                                       GError                  **error);
/* Incoming: 200 with @answer, retransmitted until the ACK (timers G and
 * H: without an ACK the session sends BYE and ends with 408). */
gboolean             hail_sip_session_accept          (HailSipSession           *self,
                                                       GBytes                   *answer,
                                                       GError                  **error);
/* Incoming: a final 3xx-6xx (486 busy, 603 decline, 480...). */
gboolean             hail_sip_session_reject          (HailSipSession           *self,
                                                       guint                     status,
                                                       GError                  **error);

/* Sends a re-INVITE with @offer (hold, resume, a new codec); on 491
 * tries again after RFC 3261 §14.1's random delay. Completes with the
 * peer's answer (also given to "remote-answer"). */
void                 hail_sip_session_reinvite_async  (HailSipSession           *self,
                                                       GBytes                   *offer,
                                                       GCancellable             *cancellable,
                                                       GAsyncReadyCallback       callback,
                                                       gpointer                  user_data);
GBytes              *hail_sip_session_reinvite_finish (HailSipSession           *self,
                                                       GAsyncResult             *result,
                                                       GError                  **error) G_GNUC_WARN_UNUSED_RESULT;

/* Sends an UPDATE with @offer (RFC 3311): in an early dialog whose
 * first offer is answered, or in a confirmed one. Glare (491) and the
 * answer are handled as for hail_sip_session_reinvite_async(), whose
 * _finish gives the answer. */
void                 hail_sip_session_update_async    (HailSipSession           *self,
                                                       GBytes                   *offer,
                                                       GCancellable             *cancellable,
                                                       GAsyncReadyCallback       callback,
                                                       gpointer                  user_data);

/* Ends the session in whatever way its state needs: CANCEL before an
 * answer (a 2xx racing it is acknowledged, then ended with BYE), 603 to
 * an incoming call not answered, BYE once established. Completes when the
 * session is terminated; every wait is bounded by transaction timers. */
void                 hail_sip_session_hangup_async    (HailSipSession           *self,
                                                       GCancellable             *cancellable,
                                                       GAsyncReadyCallback       callback,
                                                       gpointer                  user_data);
gboolean             hail_sip_session_hangup_finish   (HailSipSession           *self,
                                                       GAsyncResult             *result,
                                                       GError                  **error);

/* Blind transfer (RFC 3515). As transferor: sends REFER to make the
 * peer call @target; completes on the NOTIFY with the final outcome
 * (HAIL_SIP_STATUS_ERROR when the transfer failed). As transferee,
 * "refer" (const char *target) fires after the session answered 202;
 * report the new call's progress with hail_sip_session_notify_refer()
 * (100, then its final status). */
void                 hail_sip_session_refer_async     (HailSipSession           *self,
                                                       const char               *target,
                                                       GCancellable             *cancellable,
                                                       GAsyncReadyCallback       callback,
                                                       gpointer                  user_data);
gboolean             hail_sip_session_refer_finish    (HailSipSession           *self,
                                                       GAsyncResult             *result,
                                                       GError                  **error);
void                 hail_sip_session_notify_refer    (HailSipSession           *self,
                                                       guint                     status);

/* Offers an incoming request (or ACK, @txn NULL) to the session: TRUE
 * when it belongs to its dialog and was handled. */
gboolean             hail_sip_session_handle_request  (HailSipSession           *self,
                                                       HailSipServerTransaction *txn,
                                                       HailSipMessage           *request);

G_END_DECLS
