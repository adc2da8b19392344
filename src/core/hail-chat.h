/* hail-chat.h
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "hail-account.h"
#include "hail-chat-offer.h"
#include "hail-chat-transfer.h"
#include "hail-store.h"

G_BEGIN_DECLS

/* Reason stored with a message sent again after a restart. A message
 * that entered SENDING twice (or is still SENDING with this reason) is
 * marked FAILED at the next start, so each is sent again at most once. */
#define HAIL_CHAT_RESENT_REASON "sent again after a restart"
/* Retransmissions remembered without a store (Call-ID and CSeq pairs). */
#define HAIL_CHAT_MAX_SEEN 4096
/* Header bytes a MESSAGE adds to its body, by the pager's estimate: a
 * text whose MESSAGE would pass 1300 bytes goes by session mode. */
#define HAIL_CHAT_PAGER_OVERHEAD 600
/* Largest text taken over a message session. */
#define HAIL_CHAT_MAX_SESSION_TEXT (1024 * 1024)
/* Largest file sent or taken unless the preference says otherwise. */
#define HAIL_CHAT_DEFAULT_MAX_FILE_SIZE ((guint64) 100 * 1024 * 1024)

#define HAIL_TYPE_CHAT (hail_chat_get_type ())
G_DECLARE_FINAL_TYPE (HailChat, hail_chat, HAIL, CHAT, GObject)

/* Instant messages of one account: "store, then send". A typed message is
 * written QUEUED before it is sent and its state follows the transaction;
 * incoming MESSAGEs are stored once, however often they are
 * retransmitted. @store may be NULL (no history).
 *
 * Signals: "message-received" (const char *from, const char
 * *content_type, const char *body) for each new text; "composing" (const
 * char *from, gboolean active) when a peer starts or stops typing
 * (RFC 3994); "message-state" (gint64 id, guint state, guint status,
 * const char *reason) for each state this object gives a stored
 * message, including those sent again by hail_chat_resend_pending_async()
 * and hail_chat_resend_message_async(). */
HailChat *hail_chat_new                    (HailAccount          *account,
                                            HailStore            *store) G_GNUC_WARN_UNUSED_RESULT;

/* Account settings: wrap outgoing text in message/cpim (falling back to
 * text/plain on 415); send and ask for IMDN notifications (RFC 5438). */
void      hail_chat_set_use_cpim           (HailChat             *self,
                                            gboolean              use_cpim);
void      hail_chat_set_imdn               (HailChat             *self,
                                            gboolean              imdn);
/* RFC 3994 timers, in milliseconds: idle after @idle_ms without typing,
 * refresh an active state every @refresh_ms. Tests shorten them. */
void      hail_chat_set_composing_timers   (HailChat             *self,
                                            guint                 idle_ms,
                                            guint                 refresh_ms);

/* Stores @text for @to (QUEUED), sends it, and records SENT or FAILED
 * with the status and reason. _finish succeeds on a 2xx; otherwise its
 * error says why (HAIL_SIP_STATUS_ERROR with the status as code, a SIP
 * error, or a store error when the text could not be written, in which
 * case it was not sent). @status gets the final status (0: none), @id the
 * row (0 without a store). */
void      hail_chat_send_async             (HailChat             *self,
                                            const char           *to,
                                            const char           *text,
                                            GCancellable         *cancellable,
                                            GAsyncReadyCallback   callback,
                                            gpointer              user_data);
gboolean  hail_chat_send_finish            (HailChat             *self,
                                            GAsyncResult         *result,
                                            guint                *status,
                                            gint64               *id,
                                            GError              **error);
/* Session mode (issue #8). A text whose MESSAGE would pass 1300 bytes
 * (RFC 3261 §18.1.1) goes over a message session (INVITE with m=message,
 * MSRP, RFC 4975), reused while it lives; a peer that takes none (415,
 * 488, 606, no m=message, no MSRP connection) gets it as a MESSAGE over
 * TCP or TLS, and where only UDP reaches it the send fails saying so.
 * The history records the way (HailStoreMessageMode).
 *
 * An incoming message session (a text or a file) is "session-offer"
 * (HailChatOffer *offer) -> gboolean: a handler that returns TRUE takes
 * the decision (hail_chat_offer_accept() or _decline(), now or later; the
 * INVITE rings with 180 meanwhile, up to the offer timeout, then 480).
 * Without one, the peer is taken when it is one of the store's contacts;
 * otherwise a text session is refused with 488 (the peer's text then
 * comes as a MESSAGE) and a file with 603. A file beyond the size limit
 * is refused with 488 before anyone is asked.
 *
 * Each file, sent or taken, is a HailChatTransfer given by
 * "transfer-added" (HailChatTransfer *): an outgoing one before its INVITE
 * goes, an incoming one once accepted. An incoming file is written to
 * "NAME.part" in the download directory as it arrives and renamed NAME
 * (or "NAME (1)"...) once whole; a sender whose bytes pass the size it
 * offered gets the transfer failed and the partial file removed.
 *
 * "file-progress" (const char *remote, const char *name, guint64 done,
 * gint64 total or -1, gboolean outgoing) comes at every acknowledged or
 * written chunk, unthrottled: for scripts and tests that act at a given
 * point of a transfer (a window follows the transfer's "done").
 *
 * "message-received" is detailed by the way a text came
 * ("message-received::pager", "message-received::session").
 *
 * hail_chat_send_finish_full() is hail_chat_send_finish() with @mode, the
 * way the text went (or was last tried). */
gboolean  hail_chat_send_finish_full       (HailChat             *self,
                                            GAsyncResult         *result,
                                            guint                *status,
                                            gint64               *id,
                                            HailStoreMessageMode *mode,
                                            GError              **error);

/* Ends every message session (BYE) and completes once each was answered
 * or timed out: what a process does before it exits. */
void      hail_chat_close_sessions_async   (HailChat             *self,
                                            GCancellable         *cancellable,
                                            GAsyncReadyCallback   callback,
                                            gpointer              user_data);
gboolean  hail_chat_close_sessions_finish  (HailChat             *self,
                                            GAsyncResult         *result,
                                            GError              **error);

/* The file size limit for files sent and taken (a preference). */
void      hail_chat_set_max_file_size      (HailChat             *self,
                                            guint64               max_size);
/* Where incoming files go (NULL: the XDG download directory, else home). */
void      hail_chat_set_download_dir       (HailChat             *self,
                                            GFile                *dir);
/* Seconds an offer a "session-offer" handler took waits for its decision
 * (default HAIL_CHAT_OFFER_TIMEOUT_SECONDS); for offers made afterwards. */
void      hail_chat_set_offer_timeout      (HailChat             *self,
                                            guint                 seconds);
/* Seconds a message session lives without traffic (default
 * HAIL_CHAT_SESSION_IDLE_SECONDS; 0: until the peer or the chat ends it);
 * for sessions opened afterwards. */
void      hail_chat_set_session_idle_timeout (HailChat           *self,
                                              guint               seconds);
/* Sends a local regular file to @to over its own message session
 * (RFC 5547: a=file-selector with name, type, size and SHA-1,
 * a=sendonly), ended once the peer's Success-Report says it has all of
 * it. Its HailChatTransfer comes by "transfer-added" first. Fails with
 * HAIL_SIP_ERROR_TOO_LARGE beyond the limit, with the INVITE's error, or
 * with the MSRP session's. */
void      hail_chat_send_file_async        (HailChat             *self,
                                            const char           *to,
                                            GFile                *file,
                                            GCancellable         *cancellable,
                                            GAsyncReadyCallback   callback,
                                            gpointer              user_data);
gboolean  hail_chat_send_file_finish       (HailChat             *self,
                                            GAsyncResult         *result,
                                            GError              **error);

/* Sends again the outgoing file of history row @message_id, FAILED (in
 * this run or an earlier one), resuming (RFC 5547 §9) after the bytes
 * the peer acknowledged when the file still has the same SHA-1. Its new
 * HailChatTransfer comes by "transfer-added" and from _finish as soon as
 * it starts; its state and the row say how it ends. Fails with
 * HAIL_STORE_ERROR_NOT_FOUND for a row that is not a file this account
 * sent, G_IO_ERROR_PENDING for one not FAILED, G_IO_ERROR_NOT_SUPPORTED
 * without a store. */
void      hail_chat_retry_file_async       (HailChat             *self,
                                            gint64                message_id,
                                            GCancellable         *cancellable,
                                            GAsyncReadyCallback   callback,
                                            gpointer              user_data);
HailChatTransfer *hail_chat_retry_file_finish (HailChat          *self,
                                            GAsyncResult         *result,
                                            GError              **error);

/* Sends again, once and with the same Call-ID and CSeq, every message of
 * this account left QUEUED or SENDING by an earlier run, oldest first;
 * one already sent again is marked FAILED instead. */
void      hail_chat_resend_pending_async   (HailChat             *self,
                                            GCancellable         *cancellable,
                                            GAsyncReadyCallback   callback,
                                            gpointer              user_data);
gboolean  hail_chat_resend_pending_finish  (HailChat             *self,
                                            GAsyncResult         *result,
                                            guint                *n_sent,
                                            guint                *n_failed,
                                            GError              **error);

/* Sends again the stored message @id, which must be an outgoing message
 * of this account in state FAILED (the user's retry), with its Call-ID
 * and CSeq; its state follows as for a new message. _finish succeeds on
 * a 2xx with @status set; otherwise its error says why: a store error
 * when the message is missing, not this account's or not failed,
 * G_IO_ERROR_PENDING when it is already being sent again, or the
 * sending error (the row then holds FAILED and the reason). */
void      hail_chat_resend_message_async   (HailChat             *self,
                                            gint64                id,
                                            GCancellable         *cancellable,
                                            GAsyncReadyCallback   callback,
                                            gpointer              user_data);
gboolean  hail_chat_resend_message_finish  (HailChat             *self,
                                            GAsyncResult         *result,
                                            guint                *status,
                                            GError              **error);

/* The user is typing to @to: sends `active` at once and every refresh
 * interval while typing goes on, `idle` after the idle timeout. */
void      hail_chat_typing                 (HailChat             *self,
                                            const char           *to);
/* The user saw the message @imdn_message_id from @remote: sends a display
 * notification if the peer asked for one and IMDN is enabled. */
void      hail_chat_notify_displayed       (HailChat             *self,
                                            const char           *remote,
                                            const char           *imdn_message_id);

G_END_DECLS
