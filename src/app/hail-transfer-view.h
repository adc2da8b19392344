/* hail-transfer-view.h
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* One file going either way, as the chat window shows it. The core
 * engine wraps src/core's HailChatTransfer in it (issue #8); the window
 * only reads the properties and calls the methods below. */

/* In the order a transfer goes through them: the end states last. */
typedef enum {
  HAIL_TRANSFER_VIEW_STATE_PREPARING,    /* Outgoing, before the INVITE: the file is hashed;
                                          * "done" is the bytes hashed. */
  HAIL_TRANSFER_VIEW_STATE_CONNECTING,   /* INVITE sent or accepted, no byte yet. */
  HAIL_TRANSFER_VIEW_STATE_ACTIVE,       /* Bytes moving; "done" grows. */
  HAIL_TRANSFER_VIEW_STATE_DONE,         /* Whole: delivered, or written under its final name. */
  HAIL_TRANSFER_VIEW_STATE_FAILED,       /* "reason" says why; outgoing ones can be retried. */
  HAIL_TRANSFER_VIEW_STATE_DECLINED,     /* The peer said no. */
  HAIL_TRANSFER_VIEW_STATE_CANCELLED,    /* Stopped by the user here or there. */
} HailTransferViewState;

#define HAIL_TYPE_TRANSFER_VIEW_STATE (hail_transfer_view_state_get_type ())
GType hail_transfer_view_state_get_type (void) G_GNUC_CONST;

#define HAIL_TYPE_TRANSFER_VIEW (hail_transfer_view_get_type ())

G_DECLARE_INTERFACE (HailTransferView, hail_transfer_view, HAIL, TRANSFER_VIEW, GObject)

/* Read-only properties, all with notify: "id" (int64: the stored message,
 * 0 without a store), "remote" (string), "name" (string: the file's name
 * for people), "size" (uint64, 0 when unknown), "done" (uint64: bytes the
 * peer acknowledged or written to disk; while PREPARING, bytes hashed),
 * "state" (HailTransferViewState), "reason" (string, nullable: plain words
 * when FAILED or DECLINED), "outgoing" (boolean), "file" (GFile: the
 * source, or where the incoming file is or will be), "unsupported"
 * (boolean: FAILED because the peer's app cannot take the file, which the
 * window words with the peer's name). */
struct _HailTransferViewInterface {
  GTypeInterface parent_iface;

  void     (*cancel)       (HailTransferView     *self);
  void     (*retry_async)  (HailTransferView     *self,
                            GCancellable         *cancellable,
                            GAsyncReadyCallback   callback,
                            gpointer              user_data);
  gboolean (*retry_finish) (HailTransferView     *self,
                            GAsyncResult         *result,
                            GError              **error);
};

/* The properties in the order hail_transfer_view_override_properties()
 * gives them ids, from its @first_prop on. */
typedef enum {
  HAIL_TRANSFER_VIEW_PROP_ID,
  HAIL_TRANSFER_VIEW_PROP_REMOTE,
  HAIL_TRANSFER_VIEW_PROP_NAME,
  HAIL_TRANSFER_VIEW_PROP_SIZE,
  HAIL_TRANSFER_VIEW_PROP_DONE,
  HAIL_TRANSFER_VIEW_PROP_STATE,
  HAIL_TRANSFER_VIEW_PROP_REASON,
  HAIL_TRANSFER_VIEW_PROP_OUTGOING,
  HAIL_TRANSFER_VIEW_PROP_FILE,
  HAIL_TRANSFER_VIEW_PROP_UNSUPPORTED,
} HailTransferViewProperty;

/* For an implementation's class_init: overrides every property, property
 * HAIL_TRANSFER_VIEW_PROP_X getting the id @first_prop + X. */
void                  hail_transfer_view_override_properties (GObjectClass *klass,
                                                              guint         first_prop);

gint64                hail_transfer_view_get_id       (HailTransferView     *self);
HailTransferViewState hail_transfer_view_get_state    (HailTransferView     *self);
gboolean              hail_transfer_view_is_outgoing  (HailTransferView     *self);
char                 *hail_transfer_view_dup_remote   (HailTransferView     *self)
                                                       G_GNUC_WARN_UNUSED_RESULT;
char                 *hail_transfer_view_dup_name     (HailTransferView     *self)
                                                       G_GNUC_WARN_UNUSED_RESULT;
GFile                *hail_transfer_view_dup_file     (HailTransferView     *self)
                                                       G_GNUC_WARN_UNUSED_RESULT;
/* Stops the transfer; it ends CANCELLED. Does nothing once it ended. */
void                  hail_transfer_view_cancel       (HailTransferView     *self);
/* Sends a FAILED or CANCELLED outgoing file again, from where the peer's
 * reports say it stopped when it can. */
void                  hail_transfer_view_retry_async  (HailTransferView     *self,
                                                       GCancellable         *cancellable,
                                                       GAsyncReadyCallback   callback,
                                                       gpointer              user_data);
gboolean              hail_transfer_view_retry_finish (HailTransferView     *self,
                                                       GAsyncResult         *result,
                                                       GError              **error);

/* "1.2 MB of 5.0 MB", or "1.2 MB" when the size is unknown. */
char *hail_transfer_view_format_progress (guint64 done,
                                          guint64 size) G_GNUC_WARN_UNUSED_RESULT;

G_END_DECLS
