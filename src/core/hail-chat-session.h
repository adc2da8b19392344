/* hail-chat-session.h
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "hail-account.h"
#include "hail-msrp-sdp.h"
#include "hail-msrp-session.h"
#include "hail-sip-session.h"

G_BEGIN_DECLS

/* Seconds a session with nothing sent or received lives before its BYE. */
#define HAIL_CHAT_SESSION_IDLE_SECONDS 60
/* Largest file or text a session takes or sends unless told otherwise. */
#define HAIL_CHAT_SESSION_DEFAULT_MAX_SIZE (256 * 1024 * 1024)
/* SEND chunk size of a file transfer. */
#define HAIL_CHAT_SESSION_FILE_CHUNK_SIZE (64 * 1024)

/**
 * HailChatSessionState:
 * @HAIL_CHAT_SESSION_STATE_NEW: made, nothing sent or answered yet
 * @HAIL_CHAT_SESSION_STATE_OPENING: INVITE sent, or the offer being answered
 * @HAIL_CHAT_SESSION_STATE_OPEN: the INVITE succeeded; messages may flow
 * @HAIL_CHAT_SESSION_STATE_CLOSED: over (BYE, refused, or broken: see the
 *   error)
 */
typedef enum {
  HAIL_CHAT_SESSION_STATE_NEW,
  HAIL_CHAT_SESSION_STATE_OPENING,
  HAIL_CHAT_SESSION_STATE_OPEN,
  HAIL_CHAT_SESSION_STATE_CLOSED,
} HailChatSessionState;

#define HAIL_TYPE_CHAT_SESSION (hail_chat_session_get_type ())
G_DECLARE_FINAL_TYPE (HailChatSession, hail_chat_session, HAIL, CHAT_SESSION, GObject)

/* A message session (RFC 4975) with one peer, set up by an INVITE whose
 * SDP has m=message (RFC 4975 §8, RFC 6135 for who connects), ended by
 * BYE: texts both ways, or one file (RFC 5547). Signals:
 *   "message-received" (const char *content_type, GBytes *content);
 *   "receive-progress" (guint64 received, gint64 total or -1);
 *   "receive-failed" (GError *reason): a message the peer gave up or that
 *     broke a limit;
 *   "send-progress" (guint64 acknowledged, guint64 total);
 *   "chunk-received" (guint64 start, gint64 total or -1, GBytes *body): an
 *     incoming file's chunk, @start 1-based; the file's "message-received"
 *     then has empty content (it is streamed, never held whole);
 *   "send-reported" (guint64 end): the peer said it holds bytes 1 to @end;
 *   "closed" (GError *reason or NULL for a clean end), once. */
HailChatSession     *hail_chat_session_new_outgoing   (HailAccount               *account,
                                                       const char                *remote,
                                                       const HailSdpFileSelector *file,
                                                       GError                   **error)
                                                       G_GNUC_WARN_UNUSED_RESULT;
/* Takes an INVITE whose offer has m=message. NULL when it cannot be
 * answered; @status then gets the response to give (400, 488). */
HailChatSession     *hail_chat_session_new_incoming   (HailAccount               *account,
                                                       HailSipServerTransaction  *txn,
                                                       HailSipMessage            *request,
                                                       guint                     *status,
                                                       GError                   **error)
                                                       G_GNUC_WARN_UNUSED_RESULT;

HailChatSessionState hail_chat_session_get_state      (HailChatSession           *self);
gboolean             hail_chat_session_get_outgoing   (HailChatSession           *self);
/* The peer's URI (To of ours, From of theirs). */
const char          *hail_chat_session_get_remote     (HailChatSession           *self);
/* What the session carries: a file (its selector), or NULL for texts. */
const HailSdpFileSelector *hail_chat_session_get_file (HailChatSession           *self);
/* Why it closed, or NULL. */
const GError        *hail_chat_session_get_error      (HailChatSession           *self);
HailMsrpSession     *hail_chat_session_get_msrp       (HailChatSession           *self);

/* Bounds: the largest message taken (also offered as a=max-size) and the
 * idle time before the session ends itself (0: never). */
void                 hail_chat_session_set_max_size   (HailChatSession           *self,
                                                       guint64                    max_size);
void                 hail_chat_session_set_idle_timeout (HailChatSession         *self,
                                                         guint                    seconds);

/* Outgoing: the INVITE; completes once answered with a usable m=message
 * and the MSRP connection is started. Fails with HAIL_SIP_STATUS_ERROR
 * (415, 488, 606...), HAIL_SIP_ERROR_UNSUPPORTED when the answer has no
 * usable m=message (the session is then ended with BYE), or the INVITE's
 * error. */
void                 hail_chat_session_open_async     (HailChatSession           *self,
                                                       GCancellable              *cancellable,
                                                       GAsyncReadyCallback        callback,
                                                       gpointer                   user_data);
gboolean             hail_chat_session_open_finish    (HailChatSession           *self,
                                                       GAsyncResult              *result,
                                                       GError                   **error);

/* Incoming: answers 200 with our m=message and starts MSRP in the role
 * the offer leaves us; or declines. */
gboolean             hail_chat_session_accept         (HailChatSession           *self,
                                                       GError                   **error);
/* RFC 5547 §9, before the INVITE or the answer: the receiver holds the
 * first @held bytes of the file. Outgoing: offered as a=file-range, and
 * sent from there if the answer takes that range (else from byte 1).
 * Incoming: answered with that range, and the file complete once the
 * rest arrived. get_resume_from() is, for an offer not yet answered,
 * what the sender offers to skip (0 when it offers the whole file), and
 * afterwards what was agreed. */
void                 hail_chat_session_set_resume_from (HailChatSession          *self,
                                                        guint64                   held);
guint64              hail_chat_session_get_resume_from (HailChatSession          *self);
/* Incoming: 180 Ringing while the user is asked. */
gboolean             hail_chat_session_ring           (HailChatSession           *self,
                                                       GError                   **error);
gboolean             hail_chat_session_reject         (HailChatSession           *self,
                                                       guint                      status,
                                                       GError                   **error);

/* Sends @content, asking for a Success-Report: completes when the peer
 * has all of it, or fails (the MSRP session's error, a Failure-Report's
 * status, G_IO_ERROR_CLOSED once the session ended). */
void                 hail_chat_session_send_async     (HailChatSession           *self,
                                                       const char                *content_type,
                                                       GBytes                    *content,
                                                       GCancellable              *cancellable,
                                                       GAsyncReadyCallback        callback,
                                                       gpointer                   user_data);
/* The same for @size bytes read a chunk at a time by @read_func (a file),
 * so that only a chunk is held; a failed read fails the send with its
 * error and aborts the message. Finish with hail_chat_session_send_finish(). */
void                 hail_chat_session_send_reader_async (HailChatSession        *self,
                                                       const char               *content_type,
                                                       guint64                   size,
                                                       HailMsrpOutgoingReadFunc  read_func,
                                                       gpointer                  read_data,
                                                       GDestroyNotify            read_destroy,
                                                       GCancellable             *cancellable,
                                                       GAsyncReadyCallback       callback,
                                                       gpointer                  user_data);
gboolean             hail_chat_session_send_finish    (HailChatSession           *self,
                                                       GAsyncResult              *result,
                                                       GError                   **error);

/* Offers an incoming request (or ACK, @txn NULL): TRUE when it belongs
 * to this session's dialog and was handled. */
gboolean             hail_chat_session_handle_request (HailChatSession           *self,
                                                       HailSipServerTransaction  *txn,
                                                       HailSipMessage            *request);

/* Ends it: BYE (or CANCEL) and the MSRP connection closed. */
void                 hail_chat_session_close          (HailChatSession           *self);
/* Ends it for @reason: the MSRP connection at once (what is being sent
 * or received stops there), then BYE; "closed" carries @reason. */
void                 hail_chat_session_abort          (HailChatSession           *self,
                                                       const GError              *reason);
/* The same, completing once the BYE (or CANCEL) was answered or timed
 * out, so that a process may exit after it. */
void                 hail_chat_session_close_async    (HailChatSession           *self,
                                                       GCancellable              *cancellable,
                                                       GAsyncReadyCallback        callback,
                                                       gpointer                   user_data);
gboolean             hail_chat_session_close_finish   (HailChatSession           *self,
                                                       GAsyncResult              *result,
                                                       GError                   **error);

G_END_DECLS
