/* hail-engine.h
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "hail-account-config.h"
#include "hail-call-view.h"
#include "hail-offer-view.h"
#include "hail-transfer-view.h"

G_BEGIN_DECLS

/* What the windows need from the SIP engine. src/core will implement this
 * (issue #4); until then HailOfflineEngine says plainly that it is absent. */

#define HAIL_ENGINE_ERROR (hail_engine_error_quark ())

typedef enum {
  HAIL_ENGINE_ERROR_UNAVAILABLE,   /* No SIP engine in this build. */
  HAIL_ENGINE_ERROR_NO_ACCOUNT,    /* No enabled account to call or send from. */
  HAIL_ENGINE_ERROR_FAILED,        /* Signing in failed; the message says why. */
} HailEngineError;

typedef enum {
  HAIL_ENGINE_ACCOUNT_STATE_OFFLINE,      /* Disabled, or no engine: the reason says which. */
  HAIL_ENGINE_ACCOUNT_STATE_REGISTERING,
  HAIL_ENGINE_ACCOUNT_STATE_ONLINE,
  HAIL_ENGINE_ACCOUNT_STATE_FAILED,       /* The reason names the cause for people. */
} HailEngineAccountState;

#define HAIL_TYPE_ENGINE (hail_engine_get_type ())

G_DECLARE_INTERFACE (HailEngine, hail_engine, HAIL, ENGINE, GObject)

struct _HailEngineInterface {
  GTypeInterface parent_iface;

  gboolean (*is_available)         (HailEngine           *self);
  void     (*check_account_async)  (HailEngine           *self,
                                    HailAccountConfig    *config,
                                    const char           *password,
                                    GCancellable         *cancellable,
                                    GAsyncReadyCallback   callback,
                                    gpointer              user_data);
  gboolean (*check_account_finish) (HailEngine           *self,
                                    GAsyncResult         *result,
                                    GError              **error);
  HailEngineAccountState (*get_account_state) (HailEngine  *self,
                                               const char  *address,
                                               GError     **reason);
  void     (*retry_account)        (HailEngine           *self,
                                    const char           *address);
  HailCallView *(*start_call)      (HailEngine           *self,
                                    const char           *account,
                                    const char           *remote,
                                    GError              **error);
  void     (*send_message_async)   (HailEngine           *self,
                                    const char           *account,
                                    const char           *remote,
                                    const char           *body,
                                    GCancellable         *cancellable,
                                    GAsyncReadyCallback   callback,
                                    gpointer              user_data);
  gint64   (*send_message_finish)  (HailEngine           *self,
                                    GAsyncResult         *result,
                                    GError              **error);
  void     (*resend_message_async) (HailEngine           *self,
                                    gint64                message_id,
                                    GCancellable         *cancellable,
                                    GAsyncReadyCallback   callback,
                                    gpointer              user_data);
  gboolean (*resend_message_finish) (HailEngine          *self,
                                     GAsyncResult        *result,
                                     GError             **error);
  void     (*shutdown_async)       (HailEngine           *self,
                                    GAsyncReadyCallback   callback,
                                    gpointer              user_data);
  void     (*shutdown_finish)      (HailEngine           *self,
                                    GAsyncResult         *result);
  /* File transfer and session offers (issue #8). The defaults say that
   * this engine sends no files and has no offers. */
  void     (*send_file_async)      (HailEngine           *self,
                                    const char           *account,
                                    const char           *remote,
                                    GFile                *file,
                                    GCancellable         *cancellable,
                                    GAsyncReadyCallback   callback,
                                    gpointer              user_data);
  gboolean (*send_file_finish)     (HailEngine           *self,
                                    GAsyncResult         *result,
                                    GError              **error);
  HailTransferView *(*lookup_transfer) (HailEngine       *self,
                                        gint64            message_id);
  GPtrArray *(*dup_offers)         (HailEngine           *self);
  void     (*retry_file_async)     (HailEngine           *self,
                                    gint64                message_id,
                                    GCancellable         *cancellable,
                                    GAsyncReadyCallback   callback,
                                    gpointer              user_data);
  HailTransferView *(*retry_file_finish) (HailEngine     *self,
                                          GAsyncResult   *result,
                                          GError        **error);
};

GQuark   hail_engine_error_quark          (void);

gboolean hail_engine_is_available         (HailEngine           *self);
void     hail_engine_check_account_async  (HailEngine           *self,
                                           HailAccountConfig    *config,
                                           const char           *password,
                                           GCancellable         *cancellable,
                                           GAsyncReadyCallback   callback,
                                           gpointer              user_data);
gboolean hail_engine_check_account_finish (HailEngine           *self,
                                           GAsyncResult         *result,
                                           GError              **error);

HailEngineAccountState
         hail_engine_get_account_state    (HailEngine           *self,
                                           const char           *address,
                                           GError              **reason);
void     hail_engine_retry_account        (HailEngine           *self,
                                           const char           *address);
HailCallView *
         hail_engine_start_call           (HailEngine           *self,
                                           const char           *account,
                                           const char           *remote,
                                           GError              **error) G_GNUC_WARN_UNUSED_RESULT;
void     hail_engine_send_message_async   (HailEngine           *self,
                                           const char           *account,
                                           const char           *remote,
                                           const char           *body,
                                           GCancellable         *cancellable,
                                           GAsyncReadyCallback   callback,
                                           gpointer              user_data);
gint64   hail_engine_send_message_finish  (HailEngine           *self,
                                           GAsyncResult         *result,
                                           GError              **error);
void     hail_engine_resend_message_async (HailEngine           *self,
                                           gint64                message_id,
                                           GCancellable         *cancellable,
                                           GAsyncReadyCallback   callback,
                                           gpointer              user_data);
gboolean hail_engine_resend_message_finish (HailEngine          *self,
                                            GAsyncResult        *result,
                                            GError             **error);

/* Sends @file to @remote: "transfer-added" gives its HailTransferView
 * before anything goes out. _finish fails when it could not start (no
 * account, not readable, over the size limit), with words for people. */
void     hail_engine_send_file_async      (HailEngine           *self,
                                           const char           *account,
                                           const char           *remote,
                                           GFile                *file,
                                           GCancellable         *cancellable,
                                           GAsyncReadyCallback   callback,
                                           gpointer              user_data);
gboolean hail_engine_send_file_finish     (HailEngine           *self,
                                           GAsyncResult         *result,
                                           GError              **error);
/* Sends again the failed file of the stored message @message_id, one
 * this run has no live transfer of (an earlier run sent it): it resumes
 * after the bytes the peer acknowledged (RFC 5547 §9). Its transfer comes
 * by "transfer-added" and from _finish once it started; how it ends is
 * the transfer's state. _finish fails, with words for people, when it
 * could not start (not a failed file, its account offline). */
void     hail_engine_retry_file_async     (HailEngine           *self,
                                           gint64                message_id,
                                           GCancellable         *cancellable,
                                           GAsyncReadyCallback   callback,
                                           gpointer              user_data);
HailTransferView *
         hail_engine_retry_file_finish    (HailEngine           *self,
                                           GAsyncResult         *result,
                                           GError              **error) G_GNUC_WARN_UNUSED_RESULT;
/* The live transfer of the stored file message @message_id, or NULL. */
HailTransferView *
         hail_engine_lookup_transfer      (HailEngine           *self,
                                           gint64                message_id);
/* The offers still waiting for a decision, oldest first. */
GPtrArray *
         hail_engine_dup_offers           (HailEngine           *self) G_GNUC_WARN_UNUSED_RESULT;

/* Signs every account out, within a bounded time; never fails. */
void     hail_engine_shutdown_async       (HailEngine           *self,
                                           GAsyncReadyCallback   callback,
                                           gpointer              user_data);
void     hail_engine_shutdown_finish      (HailEngine           *self,
                                           GAsyncResult         *result);

G_END_DECLS
