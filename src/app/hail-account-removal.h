/* hail-account-removal.h
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "hail-account-list.h"

G_BEGIN_DECLS

/* Removing an account: the confirmation, then what it does. */

/* The response of the dialog below that removes the account. */
#define HAIL_ACCOUNT_REMOVAL_RESPONSE "remove"

/* Asks whether to remove @config, saying what goes (the sign-in and the
 * password) and what stays (calls and messages). */
AdwMessageDialog *hail_account_removal_dialog_new    (GtkWindow            *parent,
                                                      HailAccountConfig    *config)
                                                      G_GNUC_WARN_UNUSED_RESULT;

/* Drops @config from @accounts, which makes the engine sign it out
 * (REGISTER with Expires: 0, bounded by the transaction timeout), then
 * clears its password from the Secret Service. The history is kept. The
 * finish function fails only when the keyring could not be cleared; the
 * account is gone from the list either way. */
void              hail_account_removal_run_async     (HailAccountList      *accounts,
                                                      HailAccountConfig    *config,
                                                      GCancellable         *cancellable,
                                                      GAsyncReadyCallback   callback,
                                                      gpointer              user_data);
gboolean          hail_account_removal_run_finish    (GAsyncResult         *result,
                                                      GError              **error);

G_END_DECLS
