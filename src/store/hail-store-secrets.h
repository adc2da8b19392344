/* hail-store-secrets.h
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* Account passwords in the Secret Service (GNOME Keyring, KWallet), under
 * the schema io.github.hailphone.Hail.Account with the attributes
 * "account" (the AOR) and "auth-user". There is no plain-text fallback: a
 * missing service fails with HAIL_STORE_ERROR_NO_SECRET_SERVICE and a locked
 * collection with HAIL_STORE_ERROR_LOCKED_KEYRING. */

void      hail_store_secrets_store_async   (const char           *account,
                                            const char           *auth_user,
                                            const char           *password,
                                            GCancellable         *cancellable,
                                            GAsyncReadyCallback   callback,
                                            gpointer              user_data);
gboolean  hail_store_secrets_store_finish  (GAsyncResult         *result,
                                            GError              **error);

/* The finish function returns the password (free it with
 * hail_store_secrets_password_free()), or NULL with HAIL_STORE_ERROR_NOT_FOUND
 * when none is stored. */
void      hail_store_secrets_lookup_async  (const char           *account,
                                            const char           *auth_user,
                                            GCancellable         *cancellable,
                                            GAsyncReadyCallback   callback,
                                            gpointer              user_data);
char     *hail_store_secrets_lookup_finish (GAsyncResult         *result,
                                            GError              **error)
                                            G_GNUC_WARN_UNUSED_RESULT;
/* Blocking, for hail-cli only. */
char     *hail_store_secrets_lookup_sync   (const char           *account,
                                            const char           *auth_user,
                                            GCancellable         *cancellable,
                                            GError              **error)
                                            G_GNUC_WARN_UNUSED_RESULT;

/* Removing a password that is not stored is not an error. */
void      hail_store_secrets_clear_async   (const char           *account,
                                            const char           *auth_user,
                                            GCancellable         *cancellable,
                                            GAsyncReadyCallback   callback,
                                            gpointer              user_data);
gboolean  hail_store_secrets_clear_finish  (GAsyncResult         *result,
                                            GError              **error);

/* Overwrites, then frees, a password. */
void      hail_store_secrets_password_free (char                 *password);

G_END_DECLS
