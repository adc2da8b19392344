/* hail-chat-transfer.h
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/**
 * HailChatTransferState:
 * @HAIL_CHAT_TRANSFER_PREPARING: outgoing, before the INVITE: the file
 *   is being hashed (RFC 5547 §6), which takes seconds for gigabytes;
 *   "hashed" grows
 * @HAIL_CHAT_TRANSFER_CONNECTING: the session is being set up (outgoing:
 *   the INVITE is sent)
 * @HAIL_CHAT_TRANSFER_ACTIVE: bytes are flowing
 * @HAIL_CHAT_TRANSFER_DONE: the peer has it all (outgoing), or it is on
 *   disk under its final name (incoming)
 * @HAIL_CHAT_TRANSFER_FAILED: it broke; see the reason
 * @HAIL_CHAT_TRANSFER_DECLINED: the peer refused it
 * @HAIL_CHAT_TRANSFER_CANCELLED: stopped by hail_chat_transfer_cancel()
 *
 * In the order a transfer goes through them: the end states last.
 */
typedef enum {
  HAIL_CHAT_TRANSFER_PREPARING,
  HAIL_CHAT_TRANSFER_CONNECTING,
  HAIL_CHAT_TRANSFER_ACTIVE,
  HAIL_CHAT_TRANSFER_DONE,
  HAIL_CHAT_TRANSFER_FAILED,
  HAIL_CHAT_TRANSFER_DECLINED,
  HAIL_CHAT_TRANSFER_CANCELLED,
} HailChatTransferState;

#define HAIL_TYPE_CHAT_TRANSFER_STATE (hail_chat_transfer_state_get_type ())
GType hail_chat_transfer_state_get_type (void) G_GNUC_CONST;

#define HAIL_TYPE_CHAT_TRANSFER (hail_chat_transfer_get_type ())
G_DECLARE_FINAL_TYPE (HailChatTransfer, hail_chat_transfer, HAIL, CHAT_TRANSFER, GObject)

/* One file going either way, from HailChat's "transfer-added".
 * Properties "done" (notified at most about ten times a second, and at
 * the end), "hashed" (the same, while PREPARING) and "state". An
 * outgoing file goes PREPARING, CONNECTING, ACTIVE, then an end state;
 * an incoming one CONNECTING, ACTIVE, then an end state. */
gboolean              hail_chat_transfer_is_outgoing     (HailChatTransfer *self);
const char           *hail_chat_transfer_get_remote      (HailChatTransfer *self);
/* The name shown: the file's name, decoded. */
const char           *hail_chat_transfer_get_name        (HailChatTransfer *self);
const char           *hail_chat_transfer_get_content_type (HailChatTransfer *self);
guint64               hail_chat_transfer_get_size        (HailChatTransfer *self);
/* Bytes the peer acknowledged (outgoing) or written to disk (incoming). */
guint64               hail_chat_transfer_get_done        (HailChatTransfer *self);
/* Outgoing: bytes of the file hashed so far (the size once hashed). */
guint64               hail_chat_transfer_get_hashed      (HailChatTransfer *self);
HailChatTransferState hail_chat_transfer_get_state       (HailChatTransfer *self);
/* Plain words when FAILED or DECLINED, NULL otherwise. */
const char           *hail_chat_transfer_get_reason      (HailChatTransfer *self);
/* TRUE when it FAILED because the peer's app cannot take the file: it
 * refused the message session (415, 606; 488, which is also how Hail
 * refuses a file over its size limit) or answered without a usable
 * m=message. A front end words that with the peer's name; Retry works
 * as after any failure. */
gboolean              hail_chat_transfer_is_unsupported  (HailChatTransfer *self);
/* The reason an unsupported transfer records in the store, untranslated:
 * a later run knows such a row by it and words it again. */
#define HAIL_CHAT_TRANSFER_REASON_UNSUPPORTED "the other side's app cannot take this file"
/* Outgoing: the source. Incoming: where it is written, by its final name
 * (the bytes are in "NAME.part" until the file is whole). */
GFile                *hail_chat_transfer_get_file        (HailChatTransfer *self);
/* RFC 5547 §9: bytes the last attempt did not carry because the receiver
 * held them already (0: the whole file went). */
guint64               hail_chat_transfer_get_resumed_from (HailChatTransfer *self);
/* The store's row for it, 0 without a store. */
gint64                hail_chat_transfer_get_id          (HailChatTransfer *self);

/* Stops it (MSRP abort and BYE); the state becomes CANCELLED. */
void                  hail_chat_transfer_cancel          (HailChatTransfer *self);
/* An outgoing transfer FAILED or CANCELLED is sent again, resuming (RFC
 * 5547 §9, a=file-range) after what the peer acknowledged where it can.
 * Completes as hail_chat_send_file_async() does. */
void                  hail_chat_transfer_retry_async     (HailChatTransfer    *self,
                                                          GCancellable        *cancellable,
                                                          GAsyncReadyCallback  callback,
                                                          gpointer             user_data);
gboolean              hail_chat_transfer_retry_finish    (HailChatTransfer    *self,
                                                          GAsyncResult        *result,
                                                          GError             **error);

G_END_DECLS
