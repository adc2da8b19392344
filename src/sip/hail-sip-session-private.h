/* hail-sip-session-private.h
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * HailSipSession spans hail-sip-session.c (its life, the INVITE that
 * starts it, CANCEL) and hail-sip-session-dialog.c (requests inside the
 * dialog: ACK, BYE, re-INVITE, UPDATE, session timers).
 */
#pragma once

#include "hail-sip-client-transaction.h"
#include "hail-sip-request-sender.h"
#include "hail-sip-session.h"

G_BEGIN_DECLS

enum {
  SESSION_SIGNAL_REMOTE_OFFER,
  SESSION_SIGNAL_REMOTE_ANSWER,
  SESSION_SIGNAL_REFER,
  SESSION_N_SIGNALS
};

extern guint _hail_sip_session_signals[SESSION_N_SIGNALS];

struct _HailSipSession
{
  GObject parent_instance;

  /* Owned references. */
  HailSipStack             *stack;
  HailSipAuth              *auth;
  HailSipUri               *local;          /* Our AOR. */
  HailSipUri               *remote;         /* The peer's AOR. */
  HailSipUri               *proxy;          /* Outbound proxy, or NULL. */
  HailSipDialog            *dialog;
  GCancellable             *cancellable;    /* Cancelled in dispose. */
  GBytes                   *local_sdp;      /* Our last offer or answer. */

  /* Outgoing INVITE. */
  GTask                    *invite_task;
  HailSipRequestSender     *invite_sender;  /* Failover, challenges, redirects. */
  HailSipClientTransaction *invite_txn;
  HailSipMessage           *invite;         /* The last INVITE sent. */
  HailSipTarget            *invite_target;
  HailSipUri               *request_uri;
  GBytes                   *ack_bytes;      /* Re-sent for a retransmitted 2xx. */
  HailSipTarget            *ack_target;
  guint32                   invite_cseq;

  /* Incoming INVITE, and the 2xx we retransmit until its ACK (the first
   * INVITE or a re-INVITE). */
  HailSipServerTransaction *server_txn;
  HailSipMessage           *request;
  GBytes                   *remote_offer;
  HailSipServerTransaction *ok_txn;
  HailSipMessage           *ok;
  guint32                   ok_cseq;
  guint                     ok_interval;
  guint                     timer_g_id;
  guint                     timer_h_id;

  /* Our re-INVITE, or UPDATE with an offer (RFC 3311). */
  GTask                    *reinvite_task;
  const char               *offer_method;   /* "INVITE" or "UPDATE". */
  guint                     glare_id;
  guint                     glare_count;
  guint                     cancel_timer_id; /* 64*T1 for the 487 after CANCEL. */

  /* Our REFER, until its final NOTIFY. */
  GTask                    *refer_task;
  /* The peer's REFER: our final NOTIFY is unanswered (a BYE waits). */
  gboolean                  final_notify_pending;

  /* Ending. */
  GPtrArray                *hangup_tasks;   /* GTask*, completed at TERMINATED. */

  /* Session timer (RFC 4028). */
  guint                     session_expires;
  gboolean                  refresher;      /* We refresh; else we watch. */
  guint                     session_timer_id;
  guint                     wanted_expires; /* What our INVITE asks for. */
  guint                     min_se;         /* The least interval we take. */
  guint                     too_small;      /* 422s answered, bounded. */
  gboolean                  peer_allows_update;

  /* State. */
  char                     *call_id;
  char                     *local_tag;
  char                     *reason;
  gint                      kind;           /* Transport of the dialog, -1 unknown. */
  HailSipSessionState       state;
  guint                     status;
  gboolean                  outgoing;
  gboolean                  provisional_seen;
  gboolean                  cancel_wanted;
  gboolean                  cancel_sent;
  gboolean                  answer_seen;
  gboolean                  bye_wanted;
  gboolean                  ok_wants_answer; /* Our 2xx carried an offer. */
};

static inline void
_hail_sip_session_set_local_sdp (HailSipSession *self,
                                 GBytes         *sdp)
{
  GBytes *old = self->local_sdp;

  self->local_sdp = g_bytes_ref (sdp);
  if (old != NULL)
    g_bytes_unref (old);
}

void     _hail_sip_session_set_state         (HailSipSession      *self,
                                              HailSipSessionState  state,
                                              guint                status,
                                              const char          *reason);
/* Our Contact value for requests and responses that go to @target. */
char    *_hail_sip_session_dup_contact       (HailSipSession      *self,
                                              const HailSipTarget *target,
                                              GError             **error);
/* Sends a request inside the dialog (BYE, re-INVITE, UPDATE, ACK)
 * to the dialog's next hop, answering challenges. @headers: name, value,
 * ..., NULL. _finish returns the final response (NULL for ACK, which has
 * none). */
void     _hail_sip_session_send_async        (HailSipSession      *self,
                                              const char          *method,
                                              guint32              cseq,
                                              const char * const  *headers,
                                              GBytes              *sdp,
                                              GAsyncReadyCallback  callback,
                                              gpointer             user_data);
HailSipMessage *_hail_sip_session_send_finish (HailSipSession     *self,
                                               GAsyncResult       *result,
                                               GError            **error);
/* Sends BYE and ends the session when it is answered. */
void     _hail_sip_session_send_bye          (HailSipSession      *self);
/* The ACK of the 2xx to our INVITE (@cseq), kept for retransmitted 2xx. */
void     _hail_sip_session_send_ack          (HailSipSession      *self,
                                              guint32              cseq);
/* Session-Expires of @message: the interval, and the refresher parameter
 * in lower case or NULL. FALSE when absent or unreadable. */
gboolean _hail_sip_session_parse_expires     (HailSipMessage      *message,
                                              guint32             *interval,
                                              char               **refresher);
/* The Min-SE of a 422 (RFC 4028 §6) when it is usable and above
 * @current: the interval to try again with; 0 otherwise. */
guint    _hail_sip_session_raised_interval   (HailSipMessage      *response,
                                              guint                current);
/* Notes whether the peer takes UPDATE, from a message with Allow. */
void     _hail_sip_session_note_allow        (HailSipSession      *self,
                                              HailSipMessage      *message);
/* Reads Session-Expires from a 2xx or a request and arms the timer. */
void     _hail_sip_session_start_timer       (HailSipSession      *self,
                                              HailSipMessage      *message,
                                              gboolean             we_are_uac);
void     _hail_sip_session_stop_timers       (HailSipSession      *self);
/* Retransmits @ok (a 2xx to an INVITE) on timer G until the ACK of
 * @cseq arrives; timer H gives up. */
void     _hail_sip_session_retransmit_ok     (HailSipSession           *self,
                                              HailSipServerTransaction *txn,
                                              HailSipMessage           *ok,
                                              guint32                   cseq);

/* A response to @request (an INVITE, re-INVITE or UPDATE from the peer)
 * with our tag, Record-Route copied, Contact, Allow, Supported, one extra
 * header and @sdp. */
HailSipMessage *_hail_sip_session_build_response (HailSipSession  *self,
                                                  HailSipMessage  *request,
                                                  guint            status,
                                                  GBytes          *sdp,
                                                  const char      *extra_name,
                                                  const char      *extra_value,
                                                  GError         **error);

/* Like _hail_sip_session_send_async() with the next CSeq and any body
 * (its Content-Type among @headers). */
void     _hail_sip_session_send_body_async  (HailSipSession      *self,
                                              const char          *method,
                                              const char * const  *headers,
                                              GBytes              *body,
                                              GAsyncReadyCallback  callback,
                                              gpointer             user_data);
/* Transfer (hail-sip-session-refer.c): a REFER from the peer, and a
 * NOTIFY that may report on ours (TRUE when it was about a transfer;
 * @reply_status is what to answer it). */
void     _hail_sip_session_receive_refer    (HailSipSession           *self,
                                              HailSipServerTransaction *txn,
                                              HailSipMessage           *refer);
gboolean _hail_sip_session_receive_notify   (HailSipSession      *self,
                                              HailSipMessage      *notify,
                                              guint               *reply_status);

G_END_DECLS
