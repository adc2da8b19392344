/* hail-account-removal.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * An account removed leaves nothing behind that could sign in for it:
 * no binding at the registrar and no password in the keyring. Its calls
 * and messages stay, since they are the user's history, not the
 * account's.
 */
#include "config.h"

#include "hail-account-removal.h"

#include "hail-store-secrets.h"

#include <glib/gi18n.h>

AdwMessageDialog *
hail_account_removal_dialog_new (GtkWindow         *parent,
                                 HailAccountConfig *config)
{
  const char *address;
  g_autofree char *heading = NULL;
  GtkWidget *dialog;

  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (HAIL_IS_ACCOUNT_CONFIG (config), NULL);

  address = hail_account_config_get_address (config);
  /* Translators: %s is a SIP address such as alice@example.com */
  heading = g_strdup_printf (_("Remove %s?"), address);
  dialog = adw_message_dialog_new (parent, heading,
                                   _("Hail signs this account out and deletes its password "
                                     "from the keyring. Its calls and messages stay in the "
                                     "history."));
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    HAIL_ACCOUNT_REMOVAL_RESPONSE, _("_Remove"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog),
                                              HAIL_ACCOUNT_REMOVAL_RESPONSE,
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  return ADW_MESSAGE_DIALOG (dialog);
}

static void
cleared_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (!hail_store_secrets_clear_finish (result, &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

void
hail_account_removal_run_async (HailAccountList     *accounts,
                                HailAccountConfig   *config,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(HailAccountConfig) keep = NULL;
  g_autofree char *login = NULL;

  g_return_if_fail (HAIL_IS_ACCOUNT_LIST (accounts));
  g_return_if_fail (HAIL_IS_ACCOUNT_CONFIG (config));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, hail_account_removal_run_async);
  /* The list may hold the last reference. */
  keep = g_object_ref (config);
  login = hail_account_config_dup_login (config);
  hail_account_list_remove (accounts, config);
  /* The keyring entry is keyed as the wizard stored it: address and login. */
  hail_store_secrets_clear_async (hail_account_config_get_address (config), login, cancellable,
                                  cleared_cb, g_steal_pointer (&task));
}

gboolean
hail_account_removal_run_finish (GAsyncResult  *result,
                                 GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
