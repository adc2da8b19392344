/* hail-engine.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "hail-engine.h"

G_DEFINE_QUARK (hail-engine-error-quark, hail_engine_error)
G_DEFINE_INTERFACE (HailEngine, hail_engine, G_TYPE_OBJECT)

static void
hail_engine_default_init (HailEngineInterface *iface)
{
  g_signal_new ("account-changed", G_TYPE_FROM_INTERFACE (iface), G_SIGNAL_RUN_LAST, 0,
                NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
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

HailEngineAccountState
hail_engine_get_account_state (HailEngine  *self,
                               const char  *address,
                               const char **reason)
{
  g_return_val_if_fail (HAIL_IS_ENGINE (self), HAIL_ENGINE_ACCOUNT_OFFLINE);
  g_return_val_if_fail (address != NULL, HAIL_ENGINE_ACCOUNT_OFFLINE);

  const char *dummy = NULL;
  HailEngineAccountState state;

  /* Implementations may always write the reason. */
  state = HAIL_ENGINE_GET_IFACE (self)->get_account_state (self, address, &dummy);
  if (reason != NULL)
    *reason = dummy;
  return state;
}

void
hail_engine_retry_account (HailEngine *self,
                           const char *address)
{
  g_return_if_fail (HAIL_IS_ENGINE (self));
  g_return_if_fail (address != NULL);

  HAIL_ENGINE_GET_IFACE (self)->retry_account (self, address);
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
