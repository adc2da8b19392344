/* hail-offline-engine.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "hail-offline-engine.h"

#include <glib/gi18n.h>

struct _HailOfflineEngine {
  GObject parent_instance;
};

static void engine_iface_init (HailEngineInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (HailOfflineEngine, hail_offline_engine, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (HAIL_TYPE_ENGINE, engine_iface_init))

static gboolean
is_available (HailEngine *engine)
{
  return FALSE;
}

static void
check_account_async (HailEngine          *engine,
                     HailAccountConfig   *config,
                     const char          *password,
                     GCancellable        *cancellable,
                     GAsyncReadyCallback  callback,
                     gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (engine, cancellable, callback, user_data);

  g_task_set_source_tag (task, check_account_async);
  /* Completes from the main loop, like a real check, so callers never see
   * their callback run before the call returns. */
  g_task_return_new_error (task, HAIL_ENGINE_ERROR, HAIL_ENGINE_ERROR_UNAVAILABLE,
                           _("This build of Hail has no SIP engine yet, so it cannot "
                             "sign in to check the account (issue #4)."));
}

static gboolean
check_account_finish (HailEngine    *engine,
                      GAsyncResult  *result,
                      GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, engine), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static GError *
unavailable_error (void)
{
  return g_error_new_literal (HAIL_ENGINE_ERROR, HAIL_ENGINE_ERROR_UNAVAILABLE,
                              _("The SIP engine is not available in this build."));
}

static HailEngineAccountState
get_account_state (HailEngine  *engine,
                   const char  *address,
                   GError     **reason)
{
  g_propagate_error (reason, unavailable_error ());
  return HAIL_ENGINE_ACCOUNT_STATE_OFFLINE;
}

/* Never FAILED, so never offered a Retry: nothing to do. */
static void
retry_account (HailEngine *engine,
               const char *address)
{
  g_debug ("No SIP engine to register %s with", address);
}

static HailCallView *
start_call (HailEngine  *engine,
            const char  *account,
            const char  *remote,
            GError     **error)
{
  g_propagate_error (error, unavailable_error ());
  return NULL;
}

/* Refuses before storing anything, so the chat keeps the typed text. */
static void
send_message_async (HailEngine          *engine,
                    const char          *account,
                    const char          *remote,
                    const char          *body,
                    GCancellable        *cancellable,
                    GAsyncReadyCallback  callback,
                    gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (engine, cancellable, callback, user_data);

  g_task_set_source_tag (task, send_message_async);
  g_task_return_error (task, unavailable_error ());
}

static gint64
send_message_finish (HailEngine    *engine,
                     GAsyncResult  *result,
                     GError       **error)
{
  g_autoptr(GError) local = NULL;
  gssize id;

  g_return_val_if_fail (g_task_is_valid (result, engine), 0);

  id = g_task_propagate_int (G_TASK (result), &local);
  if (local != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local));
      return 0;
    }
  return id;
}

static void
resend_message_async (HailEngine          *engine,
                      gint64               message_id,
                      GCancellable        *cancellable,
                      GAsyncReadyCallback  callback,
                      gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (engine, cancellable, callback, user_data);

  g_task_set_source_tag (task, resend_message_async);
  g_task_return_error (task, unavailable_error ());
}

static void
retry_file_async (HailEngine          *engine,
                  gint64               message_id,
                  GCancellable        *cancellable,
                  GAsyncReadyCallback  callback,
                  gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (engine, cancellable, callback, user_data);

  g_task_set_source_tag (task, retry_file_async);
  g_task_return_error (task, unavailable_error ());
}

static HailTransferView *
retry_file_finish (HailEngine    *engine,
                   GAsyncResult  *result,
                   GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, engine), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
shutdown_async (HailEngine          *engine,
                GAsyncReadyCallback  callback,
                gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (engine, NULL, callback, user_data);

  g_task_set_source_tag (task, shutdown_async);
  g_task_return_boolean (task, TRUE);
}

static void
shutdown_finish (HailEngine   *engine,
                 GAsyncResult *result)
{
  g_return_if_fail (g_task_is_valid (result, engine));

  g_task_propagate_boolean (G_TASK (result), NULL);
}

static void
engine_iface_init (HailEngineInterface *iface)
{
  iface->shutdown_async = shutdown_async;
  iface->shutdown_finish = shutdown_finish;
  iface->get_account_state = get_account_state;
  iface->retry_account = retry_account;
  iface->start_call = start_call;
  iface->send_message_async = send_message_async;
  iface->send_message_finish = send_message_finish;
  iface->resend_message_async = resend_message_async;
  iface->resend_message_finish = check_account_finish;
  iface->retry_file_async = retry_file_async;
  iface->retry_file_finish = retry_file_finish;
  iface->is_available = is_available;
  iface->check_account_async = check_account_async;
  iface->check_account_finish = check_account_finish;
}

static void
hail_offline_engine_class_init (HailOfflineEngineClass *klass)
{
}

static void
hail_offline_engine_init (HailOfflineEngine *self)
{
}

HailEngine *
hail_offline_engine_new (void)
{
  return g_object_new (HAIL_TYPE_OFFLINE_ENGINE, NULL);
}
