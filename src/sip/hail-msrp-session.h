/* hail-msrp-session.h
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "hail-msrp-outgoing.h"
#include "hail-msrp-reassembly.h"
#include "hail-msrp-uri.h"
#include "hail-sdp-msrp.h"
#include "hail-sip-auth.h"
#include "hail-sip-tls-context.h"

G_BEGIN_DECLS

/**
 * HailMsrpSessionState:
 * @HAIL_MSRP_SESSION_STATE_IDLE: made, listening; waiting for start
 * @HAIL_MSRP_SESSION_STATE_CONNECTING: connecting (active) or waiting for
 *   the peer's connection and first SEND (passive)
 * @HAIL_MSRP_SESSION_STATE_READY: bound: messages flow both ways
 * @HAIL_MSRP_SESSION_STATE_CLOSED: closed on purpose
 * @HAIL_MSRP_SESSION_STATE_FAILED: the connection broke; see "error"
 */
typedef enum {
  HAIL_MSRP_SESSION_STATE_IDLE,
  HAIL_MSRP_SESSION_STATE_CONNECTING,
  HAIL_MSRP_SESSION_STATE_READY,
  HAIL_MSRP_SESSION_STATE_CLOSED,
  HAIL_MSRP_SESSION_STATE_FAILED,
} HailMsrpSessionState;

#define HAIL_TYPE_MSRP_SESSION_STATE (hail_msrp_session_state_get_type ())
GType hail_msrp_session_state_get_type (void) G_GNUC_CONST;

#define HAIL_TYPE_MSRP_SESSION (hail_msrp_session_get_type ())
G_DECLARE_FINAL_TYPE (HailMsrpSession, hail_msrp_session, HAIL, MSRP_SESSION, GObject)

/* One MSRP session (RFC 4975) over one TCP or TLS connection, direct or
 * through the account's relay (RFC 4976). The SDP glue makes it, puts
 * hail_msrp_session_get_local_path() in a=path, gives it the peer's a=path
 * and starts it with the negotiated a=setup (RFC 6135). Signals:
 *   "message-received" (const char *message_id, const char *content_type,
 *     GBytes *content): a whole message arrived;
 *   "receive-progress" (const char *message_id, guint64 received,
 *     gint64 total or -1): after each chunk;
 *   "receive-aborted" (const char *message_id, GError *reason,
 *     HailMsrpReassembly *partial): the peer gave the message up, or it
 *     broke a limit, or the session ended; @partial holds what arrived;
 *   "send-progress" (HailMsrpOutgoing *message, guint64 acknowledged,
 *     guint64 total);
 *   "chunk-received" (const char *message_id, guint64 start, gint64 total
 *     or -1, GBytes *body): while streaming, each chunk taken, before its
 *     message is complete; @start is 1-based as in Byte-Range;
 *   "send-reported" (HailMsrpOutgoing *message, guint64 end): a success
 *     REPORT said the peer holds bytes 1 to @end (RFC 4975 §7.1.2).
 * Properties: "state", "error", "chunk-size", "max-message-size",
 * "transaction-timeout" (ms). */

/* Listens on @address (port 0 picks one) and draws a session-id, so that
 * the local path is known for the SDP; @secure makes it msrps (TLS). */
HailMsrpSession     *hail_msrp_session_new             (GInetSocketAddress  *address,
                                                        gboolean             secure,
                                                        GError             **error)
                                                        G_GNUC_WARN_UNUSED_RESULT;

/* msrps (RFC 4975 §14): the session presents this process's self-signed
 * certificate (HailSipTlsIdentity) and puts its fingerprint in the SDP;
 * a peer that gave an a=fingerprint must present the certificate it
 * names, whichever side connects. A peer that gave none is verified like
 * SIP over TLS: against the system CAs plus the CA file, for the host of
 * its path. */

/* Our a=fingerprint value ("sha-256 4A:AD:..."), NULL for msrp. */
const char          *hail_msrp_session_get_fingerprint (HailMsrpSession     *self);

/* The peer's a=fingerprint (RFC 8122 §5), or NULL when it sent none;
 * fails for one hail_sip_tls_fingerprint_check() refuses. Before start. */
gboolean             hail_msrp_session_set_remote_fingerprint (HailMsrpSession  *self,
                                                               const char       *fingerprint,
                                                               GError          **error);

/* Extra trusted CAs (PEM, may be NULL) for a peer without a fingerprint. */
void                 hail_msrp_session_set_ca_file     (HailMsrpSession     *self,
                                                        const char          *ca_file);

/* TLS settings for a peer without a fingerprint, instead of those above:
 * @client verifies the peer when we connect (active); @server presents
 * its certificate when the peer connects (passive). */
void                 hail_msrp_session_set_tls         (HailMsrpSession     *self,
                                                        HailSipTlsContext   *client,
                                                        HailSipTlsContext   *server);

/* Our a=path URI, "msrp://127.0.0.1:4000/<session-id>;tcp". */
HailMsrpUri         *hail_msrp_session_get_local_uri   (HailMsrpSession     *self);
const char          *hail_msrp_session_get_local_path  (HailMsrpSession     *self);

/* RFC 4976, before start: connects to @relay (hail_msrp_relay_parse_uri())
 * over TLS verified by @tls (a client context, as SIP over TLS uses) and
 * sends AUTH, answering its 401 with @auth's credentials. Once it
 * completes, the local path is the relay's Use-Path then our URI; every
 * frame goes on that connection, both roles send the binding SEND, and
 * the session sends AUTH again before the relay's Expires runs out.
 * Fails with a message naming the relay: unreachable, TLS not trusted
 * (the certificate's subject and issuer), HAIL_SIP_ERROR_AUTH_REJECTED,
 * an error status, or a malformed Use-Path; every step is bounded by the
 * transaction timeout. To give up early, close the session (the task then
 * fails with G_IO_ERROR_CLOSED); @cancellable only goes with the task. */
void                 hail_msrp_session_connect_relay_async (HailMsrpSession    *self,
                                                            HailMsrpUri        *relay,
                                                            HailSipAuth        *auth,
                                                            HailSipTlsContext  *tls,
                                                            GCancellable       *cancellable,
                                                            GAsyncReadyCallback callback,
                                                            gpointer            user_data);
gboolean             hail_msrp_session_connect_relay_finish (HailMsrpSession   *self,
                                                             GAsyncResult      *result,
                                                             GError           **error);
/* The relay in use, or NULL for a direct session. */
HailMsrpUri         *hail_msrp_session_get_relay       (HailMsrpSession     *self);

/* The peer's a=path (leftmost first), as hail_sdp_media_dup_msrp_path()
 * returns it: the peer last, after the relays it uses (RFC 4976). */
gboolean             hail_msrp_session_set_remote_path (HailMsrpSession     *self,
                                                        const char * const  *path,
                                                        GError             **error);

/* RFC 6135 §4.1 / RFC 4145 §4.1: the a=setup an answerer picks for an
 * offered one (actpass -> active). The offerer gets its own role by passing
 * the answer's setup (active -> passive, passive -> active). */
HailSdpSetup         hail_msrp_session_answer_setup    (HailSdpSetup         offered);

/* Starts with the negotiated role: ACTIVE connects to the peer's path and
 * sends a SEND at once to bind the connection (RFC 4975 §5.4); PASSIVE
 * waits for the peer's connection and its first SEND. */
gboolean             hail_msrp_session_start           (HailMsrpSession     *self,
                                                        HailSdpSetup         setup,
                                                        GError             **error);

HailMsrpSessionState hail_msrp_session_get_state       (HailMsrpSession     *self);
/* Why the session failed, or NULL. */
const GError        *hail_msrp_session_get_error       (HailMsrpSession     *self);

void                 hail_msrp_session_set_chunk_size  (HailMsrpSession     *self,
                                                        gsize                chunk_size);
void                 hail_msrp_session_set_max_message_size (HailMsrpSession *self,
                                                             guint64          max_size);
void                 hail_msrp_session_set_transaction_timeout (HailMsrpSession *self,
                                                                guint            timeout_ms);

/* A message to send with this session's chunk size; set its reports
 * before passing it to hail_msrp_session_send_async(). */
HailMsrpOutgoing    *hail_msrp_session_new_outgoing    (HailMsrpSession     *self,
                                                        const char          *content_type,
                                                        GBytes              *content)
                                                        G_GNUC_WARN_UNUSED_RESULT;
/* The same for content read a chunk at a time (hail_msrp_outgoing_new_reader()). */
HailMsrpOutgoing    *hail_msrp_session_new_outgoing_reader (HailMsrpSession  *self,
                                                            const char       *content_type,
                                                            guint64           size,
                                                            HailMsrpOutgoingReadFunc read_func,
                                                            gpointer          user_data,
                                                            GDestroyNotify    destroy)
                                                            G_GNUC_WARN_UNUSED_RESULT;

/* Sends @message once the session is ready, after those queued before it.
 * It completes when the peer confirmed it: by a success REPORT when
 * Success-Report is yes, else by a 200 to every chunk when Failure-Report
 * is yes, else once written. Fails with HAIL_SIP_STATUS_ERROR for an error
 * response or REPORT, HAIL_SIP_ERROR_TIMEOUT after the transaction timeout,
 * the session's error when it fails, or G_IO_ERROR_CANCELLED (the rest is
 * then aborted with a `#` chunk). */
void                 hail_msrp_session_send_async      (HailMsrpSession     *self,
                                                        HailMsrpOutgoing    *message,
                                                        GCancellable        *cancellable,
                                                        GAsyncReadyCallback  callback,
                                                        gpointer             user_data);
gboolean             hail_msrp_session_send_finish     (HailMsrpSession     *self,
                                                        GAsyncResult        *result,
                                                        GError             **error);

/* RFC 5547 §9: goes on receiving a message an earlier session left
 * incomplete (@partial from its "receive-aborted"), whose sender resumes it
 * as @message_id with Byte-Ranges of the whole file. */
gboolean             hail_msrp_session_resume_incoming (HailMsrpSession     *self,
                                                        const char          *message_id,
                                                        const char          *content_type,
                                                        HailMsrpReassembly  *partial,
                                                        GError             **error);

/* Streaming: bodies of incoming messages are handed out by
 * "chunk-received" and not kept, so that "message-received" gives empty
 * content; the maximum message size still bounds each message. A message
 * asking for a Success-Report gets a partial one every
 * HAIL_MSRP_PARTIAL_REPORT_BYTES held from its first byte. */
void                 hail_msrp_session_set_streaming   (HailMsrpSession     *self,
                                                        gboolean             streaming);
/* RFC 5547 §9, while streaming: the next incoming message is a transfer
 * resumed past its first @held bytes (which the receiver kept from an
 * earlier session): it is complete once the rest arrived. */
void                 hail_msrp_session_set_resume_held (HailMsrpSession     *self,
                                                        guint64              held);
/* Closes the connection and the listener; pending sends fail with
 * G_IO_ERROR_CLOSED, messages being received are aborted. */
void                 hail_msrp_session_close           (HailMsrpSession     *self);

G_END_DECLS
