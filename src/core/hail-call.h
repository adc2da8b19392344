/* hail-call.h
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "hail-account.h"
#include "hail-media-session.h"
#include "hail-sip-session.h"

G_BEGIN_DECLS

#define HAIL_TYPE_CALL (hail_call_get_type ())
G_DECLARE_FINAL_TYPE (HailCall, hail_call, HAIL, CALL, GObject)

/* One call as both front ends see it: a HailSipSession (signalling) and
 * a HailMediaSession (RTP), joined by SDP offer/answer. The offer comes
 * from the media session's own ports and our codec preference (Opus,
 * G.722, PCMU, PCMA, telephone-event); the negotiated stream becomes the
 * media layer's HailMediaStreamConfig. SRTP (SDES) is offered on TLS and
 * required when the account says so. "state" mirrors the session;
 * "dtmf-received" (const char *digit) reports RFC 4733 events. @codecs
 * (nullable) narrows and orders the codecs by encoding name. */
HailCall            *hail_call_new_outgoing      (HailAccount              *account,
                                                  const char               *uri,
                                                  const char * const       *codecs,
                                                  GError                  **error) G_GNUC_WARN_UNUSED_RESULT;
/* Takes an incoming INVITE; fails with the status to answer in
 * *@status (400 for a broken request or SDP, 488 for one we cannot meet),
 * or 0 when the session answered already (422, RFC 4028 §8.1). */
HailCall            *hail_call_new_incoming      (HailAccount              *account,
                                                  HailSipServerTransaction *txn,
                                                  HailSipMessage           *request,
                                                  const char * const       *codecs,
                                                  guint                    *status,
                                                  GError                  **error) G_GNUC_WARN_UNUSED_RESULT;

HailAccount         *hail_call_get_account       (HailCall                 *self);
HailSipSession      *hail_call_get_session       (HailCall                 *self);
/* NULL for an incoming call until it is answered. */
HailMediaSession    *hail_call_get_media         (HailCall                 *self);
gboolean             hail_call_get_outgoing      (HailCall                 *self);
HailSipSessionState  hail_call_get_state         (HailCall                 *self);
guint                hail_call_get_status        (HailCall                 *self);
const char          *hail_call_get_reason        (HailCall                 *self);
const char          *hail_call_get_call_id       (HailCall                 *self);
const char          *hail_call_get_remote_uri    (HailCall                 *self);
gboolean             hail_call_get_held          (HailCall                 *self);
/* Where the hold re-INVITEs asked for lead: "held" once the last one is
 * answered (and went well); "held" itself when none is in flight. */
gboolean             hail_call_get_held_requested (HailCall                *self);
/* Our direction of the agreed audio ("sendrecv", "sendonly": we hold or
 * the peer holds us with recvonly, ...) as the "direction" property;
 * NULL before media. */
const char          *hail_call_get_direction     (HailCall                 *self);
/* The negotiated codec as the peer spelt it in a=rtpmap, or NULL. */
const char          *hail_call_get_codec         (HailCall                 *self);
/* Where our RTP goes, "HOST:PORT", or NULL. */
const char          *hail_call_get_remote_media  (HailCall                 *self);
/* Packet counters; kept after the media stops. */
guint64              hail_call_get_packets_sent  (HailCall                 *self);
guint64              hail_call_get_packets_received (HailCall              *self);
/* Whether the media is SRTP-protected (SDES keys agreed). */
gboolean             hail_call_get_srtp          (HailCall                 *self);
/* The last media failure, or NULL. */
const GError        *hail_call_get_media_error   (HailCall                 *self);

/* The audio to send and where received audio goes; kept until an
 * incoming call's media exists. */
gboolean             hail_call_set_source        (HailCall                 *self,
                                                  HailMediaSource          *source,
                                                  GError                  **error);
gboolean             hail_call_set_sink          (HailCall                 *self,
                                                  HailMediaSink            *sink,
                                                  GError                  **error);

/* Outgoing: sends the INVITE; completes when answered or failed (see
 * hail_sip_session_invite_finish()). */
void                 hail_call_start_async       (HailCall                 *self,
                                                  GCancellable             *cancellable,
                                                  GAsyncReadyCallback       callback,
                                                  gpointer                  user_data);
gboolean             hail_call_start_finish      (HailCall                 *self,
                                                  GAsyncResult             *result,
                                                  GError                  **error);
/* Incoming: ring, answer with our negotiated SDP (media starts), or
 * decline with a 3xx-6xx. */
gboolean             hail_call_ring              (HailCall                 *self,
                                                  GError                  **error);
gboolean             hail_call_answer            (HailCall                 *self,
                                                  GError                  **error);
gboolean             hail_call_reject            (HailCall                 *self,
                                                  guint                     status,
                                                  GError                  **error);
/* CANCEL, decline or BYE as the state needs; completes when the call is
 * over. */
void                 hail_call_hangup_async      (HailCall                 *self,
                                                  GCancellable             *cancellable,
                                                  GAsyncReadyCallback       callback,
                                                  gpointer                  user_data);
gboolean             hail_call_hangup_finish     (HailCall                 *self,
                                                  GAsyncResult             *result,
                                                  GError                  **error);
/* Hold (a=sendonly, RFC 3264 §8.4) or resume with a re-INVITE. One
 * re-INVITE is in flight at a time; a request made meanwhile waits for
 * it, then completes at once when the call already is as asked. */
void                 hail_call_set_held_async    (HailCall                 *self,
                                                  gboolean                  held,
                                                  GCancellable             *cancellable,
                                                  GAsyncReadyCallback       callback,
                                                  gpointer                  user_data);
gboolean             hail_call_set_held_finish   (HailCall                 *self,
                                                  GAsyncResult             *result,
                                                  GError                  **error);
/* Blind transfer (RFC 3515): asks the peer to call @target and hangs up
 * once the peer reports that call answered. The other way, the call
 * emits "transfer-requested" (const char *target); HailCallManager
 * places that call and reports back with hail_call_report_transfer(). */
void                 hail_call_transfer_async    (HailCall                 *self,
                                                  const char               *target,
                                                  GCancellable             *cancellable,
                                                  GAsyncReadyCallback       callback,
                                                  gpointer                  user_data);
gboolean             hail_call_transfer_finish   (HailCall                 *self,
                                                  GAsyncResult             *result,
                                                  GError                  **error);
void                 hail_call_report_transfer   (HailCall                 *self,
                                                  guint                     status);
/* Sends RFC 4733 events (0-9, *, #, A-D) once media runs. */
gboolean             hail_call_send_dtmf         (HailCall                 *self,
                                                  const char               *digits,
                                                  GError                  **error);
/* An incoming in-dialog request: TRUE when it belongs to this call. */
gboolean             hail_call_handle_request    (HailCall                 *self,
                                                  HailSipServerTransaction *txn,
                                                  HailSipMessage           *request);

G_END_DECLS
