/* hail-engine.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "hail-engine.h"

#include <glib/gi18n.h>

G_DEFINE_QUARK (hail-engine-error-quark, hail_engine_error)
G_DEFINE_INTERFACE (HailEngine, hail_engine, G_TYPE_OBJECT)

/**
 * HailEngine::incoming-call:
 * @self: the engine
 * @call: a #HailCallView in state INCOMING
 *
 * A call arrived; the application shows it (call waiting included).
 *
 * HailEngine::composing:
 * @self: the engine
 * @remote: the peer's address
 * @active: whether the peer is typing (RFC 3994)
 *
 * HailEngine::account-state-changed:
 * @self: the engine
 * @address: the account whose state changed
 *
 * HailEngine::transfer-added:
 * @self: the engine
 * @transfer: a #HailTransferView, outgoing (before its INVITE goes) or
 *   incoming (once accepted)
 *
 * HailEngine::offer-added:
 * @self: the engine
 * @offer: a #HailOfferView waiting for the user: the application asks
 *   and withdraws the question when "decided" turns TRUE
 */
static void
default_send_file_async (HailEngine          *self,
                         const char          *account,
                         const char          *remote,
                         GFile               *file,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  g_task_report_new_error (self, callback, user_data, default_send_file_async,
                           HAIL_ENGINE_ERROR, HAIL_ENGINE_ERROR_UNAVAILABLE,
                           _("Sending files is not available in this build."));
}

static gboolean
default_send_file_finish (HailEngine    *self,
                          GAsyncResult  *result,
                          GError       **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
default_retry_file_async (HailEngine          *self,
                          gint64               message_id,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_task_report_new_error (self, callback, user_data, default_retry_file_async,
                           HAIL_ENGINE_ERROR, HAIL_ENGINE_ERROR_UNAVAILABLE,
                           _("Sending files is not available in this build."));
}

static HailTransferView *
default_retry_file_finish (HailEngine    *self,
                           GAsyncResult  *result,
                           GError       **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

static HailTransferView *
default_lookup_transfer (HailEngine *self,
                         gint64      message_id)
{
  return NULL;
}

static GPtrArray *
default_dup_offers (HailEngine *self)
{
  return g_ptr_array_new_with_free_func (g_object_unref);
}

static void
hail_engine_default_init (HailEngineInterface *iface)
{
  iface->send_file_async = default_send_file_async;
  iface->send_file_finish = default_send_file_finish;
  iface->lookup_transfer = default_lookup_transfer;
  iface->dup_offers = default_dup_offers;
  iface->retry_file_async = default_retry_file_async;
  iface->retry_file_finish = default_retry_file_finish;

  g_signal_new ("incoming-call", G_TYPE_FROM_INTERFACE (iface), G_SIGNAL_RUN_LAST, 0,
                NULL, NULL, NULL, G_TYPE_NONE, 1, HAIL_TYPE_CALL_VIEW);
  g_signal_new ("composing", G_TYPE_FROM_INTERFACE (iface), G_SIGNAL_RUN_LAST, 0,
                NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_BOOLEAN);
  g_signal_new ("account-state-changed", G_TYPE_FROM_INTERFACE (iface), G_SIGNAL_RUN_LAST, 0,
                NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
  g_signal_new ("transfer-added", G_TYPE_FROM_INTERFACE (iface), G_SIGNAL_RUN_LAST, 0,
                NULL, NULL, NULL, G_TYPE_NONE, 1, HAIL_TYPE_TRANSFER_VIEW);
  g_signal_new ("offer-added", G_TYPE_FROM_INTERFACE (iface), G_SIGNAL_RUN_LAST, 0,
                NULL, NULL, NULL, G_TYPE_NONE, 1, HAIL_TYPE_OFFER_VIEW);
}

/* Whether registering, calling and messaging can work at all. */
gboolean
hail_engine_is_available (HailEngine *self)
{
  g_return_val_if_fail (HAIL_IS_ENGINE (self), FALSE);

  return HAIL_ENGINE_GET_IFACE (self)->is_available (self);
}

/**
 * hail_engine_check_account_async:
 * @self: the engine
 * @config: the account to try
 * @password: (nullable): the password typed in the wizard; not kept by the caller
 * @cancellable: (nullable): cancels the check
 * @callback: called once with the result
 * @user_data: for @callback
 *
 * Registers @config once to find whether it works. The error of
 * hail_engine_check_account_finish() names the cause in words for people.
 */
void
hail_engine_check_account_async (HailEngine          *self,
                                 HailAccountConfig   *config,
                                 const char          *password,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_return_if_fail (HAIL_IS_ENGINE (self));
  g_return_if_fail (HAIL_IS_ACCOUNT_CONFIG (config));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  HAIL_ENGINE_GET_IFACE (self)->check_account_async (self, config, password, cancellable,
                                                     callback, user_data);
}

gboolean
hail_engine_check_account_finish (HailEngine    *self,
                                  GAsyncResult  *result,
                                  GError       **error)
{
  g_return_val_if_fail (HAIL_IS_ENGINE (self), FALSE);
  g_return_val_if_fail (G_IS_ASYNC_RESULT (result), FALSE);

  return HAIL_ENGINE_GET_IFACE (self)->check_account_finish (self, result, error);
}

/* The registration state of the account with @address; @reason says in
 * words why it is OFFLINE or FAILED. */
HailEngineAccountState
hail_engine_get_account_state (HailEngine  *self,
                               const char  *address,
                               GError     **reason)
{
  g_return_val_if_fail (HAIL_IS_ENGINE (self), HAIL_ENGINE_ACCOUNT_STATE_OFFLINE);
  g_return_val_if_fail (address != NULL, HAIL_ENGINE_ACCOUNT_STATE_OFFLINE);
  g_return_val_if_fail (reason == NULL || *reason == NULL, HAIL_ENGINE_ACCOUNT_STATE_OFFLINE);

  return HAIL_ENGINE_GET_IFACE (self)->get_account_state (self, address, reason);
}

/* Registers the account again now, after a failure the user fixed or that
 * may have passed; the new state comes through ::account-state-changed. */
void
hail_engine_retry_account (HailEngine *self,
                           const char *address)
{
  g_return_if_fail (HAIL_IS_ENGINE (self));
  g_return_if_fail (address != NULL);

  HAIL_ENGINE_GET_IFACE (self)->retry_account (self, address);
}

/**
 * hail_engine_start_call:
 * @self: the engine
 * @account: (nullable): the account to call from; %NULL for the default
 * @remote: the address to call
 * @error: why the call cannot start
 *
 * Returns: (transfer full) (nullable): the new call, in state DIALING
 */
HailCallView *
hail_engine_start_call (HailEngine  *self,
                        const char  *account,
                        const char  *remote,
                        GError     **error)
{
  g_return_val_if_fail (HAIL_IS_ENGINE (self), NULL);
  g_return_val_if_fail (remote != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return HAIL_ENGINE_GET_IFACE (self)->start_call (self, account, remote, error);
}

/**
 * hail_engine_send_message_async:
 * @self: the engine
 * @account: (nullable): the account to send from; %NULL for the default
 * @remote: the peer's address
 * @body: the text the user typed
 * @cancellable: (nullable): cancels the wait, not the sending
 * @callback: called once the message is stored (or refused)
 * @user_data: for @callback
 *
 * Stores the message, then sends it; the store's message list shows its
 * state from then on. The finish function returns the stored id, or 0
 * with the reason when the message was not even stored: the caller then
 * keeps the text.
 */
void
hail_engine_send_message_async (HailEngine          *self,
                                const char          *account,
                                const char          *remote,
                                const char          *body,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_return_if_fail (HAIL_IS_ENGINE (self));
  g_return_if_fail (remote != NULL);
  g_return_if_fail (body != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  HAIL_ENGINE_GET_IFACE (self)->send_message_async (self, account, remote, body, cancellable,
                                                    callback, user_data);
}

gint64
hail_engine_send_message_finish (HailEngine    *self,
                                 GAsyncResult  *result,
                                 GError       **error)
{
  g_return_val_if_fail (HAIL_IS_ENGINE (self), 0);
  g_return_val_if_fail (G_IS_ASYNC_RESULT (result), 0);

  return HAIL_ENGINE_GET_IFACE (self)->send_message_finish (self, result, error);
}

/* Sends a FAILED message again (its Retry button). */
void
hail_engine_resend_message_async (HailEngine          *self,
                                  gint64               message_id,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_return_if_fail (HAIL_IS_ENGINE (self));
  g_return_if_fail (message_id > 0);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  HAIL_ENGINE_GET_IFACE (self)->resend_message_async (self, message_id, cancellable,
                                                      callback, user_data);
}

gboolean
hail_engine_resend_message_finish (HailEngine    *self,
                                   GAsyncResult  *result,
                                   GError       **error)
{
  g_return_val_if_fail (HAIL_IS_ENGINE (self), FALSE);
  g_return_val_if_fail (G_IS_ASYNC_RESULT (result), FALSE);

  return HAIL_ENGINE_GET_IFACE (self)->resend_message_finish (self, result, error);
}

void
hail_engine_shutdown_async (HailEngine          *self,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_return_if_fail (HAIL_IS_ENGINE (self));

  HAIL_ENGINE_GET_IFACE (self)->shutdown_async (self, callback, user_data);
}

void
hail_engine_shutdown_finish (HailEngine   *self,
                             GAsyncResult *result)
{
  g_return_if_fail (HAIL_IS_ENGINE (self));
  g_return_if_fail (G_IS_ASYNC_RESULT (result));

  HAIL_ENGINE_GET_IFACE (self)->shutdown_finish (self, result);
}

void
hail_engine_send_file_async (HailEngine          *self,
                             const char          *account,
                             const char          *remote,
                             GFile               *file,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_return_if_fail (HAIL_IS_ENGINE (self));
  g_return_if_fail (remote != NULL);
  g_return_if_fail (G_IS_FILE (file));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  HAIL_ENGINE_GET_IFACE (self)->send_file_async (self, account, remote, file, cancellable,
                                                 callback, user_data);
}

gboolean
hail_engine_send_file_finish (HailEngine    *self,
                              GAsyncResult  *result,
                              GError       **error)
{
  g_return_val_if_fail (HAIL_IS_ENGINE (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return HAIL_ENGINE_GET_IFACE (self)->send_file_finish (self, result, error);
}

void
hail_engine_retry_file_async (HailEngine          *self,
                              gint64               message_id,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_return_if_fail (HAIL_IS_ENGINE (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  HAIL_ENGINE_GET_IFACE (self)->retry_file_async (self, message_id, cancellable, callback,
                                                  user_data);
}

HailTransferView *
hail_engine_retry_file_finish (HailEngine    *self,
                               GAsyncResult  *result,
                               GError       **error)
{
  g_return_val_if_fail (HAIL_IS_ENGINE (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return HAIL_ENGINE_GET_IFACE (self)->retry_file_finish (self, result, error);
}

HailTransferView *
hail_engine_lookup_transfer (HailEngine *self,
                             gint64      message_id)
{
  g_return_val_if_fail (HAIL_IS_ENGINE (self), NULL);

  if (message_id <= 0)
    return NULL;
  return HAIL_ENGINE_GET_IFACE (self)->lookup_transfer (self, message_id);
}

GPtrArray *
hail_engine_dup_offers (HailEngine *self)
{
  g_return_val_if_fail (HAIL_IS_ENGINE (self), NULL);

  return HAIL_ENGINE_GET_IFACE (self)->dup_offers (self);
}
