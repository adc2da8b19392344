/* hail-store-secrets.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "hail-store-secrets.h"

#include "hail-store-error.h"
#include "hail-store-private.h"

#include <libsecret/secret.h>
#include <string.h>

typedef enum {
  OP_STORE,
  OP_LOOKUP,
  OP_CLEAR,
} Op;

typedef struct {
  Op    op;
  char *account;
  char *auth_user;
  char *password;   /* OP_STORE only; wiped when freed */
} Request;

static const SecretSchema *
get_schema (void)
{
  static const SecretSchema schema = {
    "io.github.hailphone.Hail.Account", SECRET_SCHEMA_NONE,
    {
      { "account", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { "auth-user", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { NULL, 0 },
    },
    0, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
  };

  return &schema;
}

void
hail_store_secrets_password_free (char *password)
{
  if (password == NULL)
    return;
  explicit_bzero (password, strlen (password));
  g_free (password);
}

static void
request_free (gpointer data)
{
  Request *request = data;

  g_free (request->account);
  g_free (request->auth_user);
  hail_store_secrets_password_free (request->password);
  g_free (request);
}

/* Turns libsecret's and GDBus's errors into the two the UI can explain;
 * the message keeps the original text for the log. */
GError *
_hail_store_secrets_map_error (GError *error)
{
  g_autofree char *remote = NULL;
  HailStoreError code = HAIL_STORE_ERROR_FAILED;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return g_error_copy (error);

  if (g_dbus_error_is_remote_error (error))
    remote = g_dbus_error_get_remote_error (error);

  if (g_error_matches (error, SECRET_ERROR, SECRET_ERROR_IS_LOCKED) ||
      g_strcmp0 (remote, "org.freedesktop.Secret.Error.IsLocked") == 0)
    code = HAIL_STORE_ERROR_LOCKED_KEYRING;
  else if (g_error_matches (error, G_DBUS_ERROR, G_DBUS_ERROR_UNKNOWN_METHOD) ||
           g_error_matches (error, G_DBUS_ERROR, G_DBUS_ERROR_UNKNOWN_OBJECT))
    /* gnome-keyring with no default keyring, when making one was
     * cancelled: the service is there, the keyring is not. */
    return g_error_new (HAIL_STORE_ERROR, HAIL_STORE_ERROR_FAILED,
                        "there is no keyring to keep it in, and making one was cancelled (%s)",
                        error->message);
  else if (error->domain == G_DBUS_ERROR ||
           g_strcmp0 (remote, "org.freedesktop.DBus.Error.ServiceUnknown") == 0 ||
           g_strcmp0 (remote, "org.freedesktop.DBus.Error.NameHasNoOwner") == 0)
    code = HAIL_STORE_ERROR_NO_SECRET_SERVICE;

  switch (code)
    {
    case HAIL_STORE_ERROR_LOCKED_KEYRING:
      return g_error_new (HAIL_STORE_ERROR, code, "The keyring is locked: %s", error->message);
    case HAIL_STORE_ERROR_NO_SECRET_SERVICE:
      return g_error_new (HAIL_STORE_ERROR, code, "No Secret Service (keyring) is running: %s",
                          error->message);
    default:
      return g_error_new (HAIL_STORE_ERROR, code, "The keyring failed: %s", error->message);
    }
}

static void
return_error (GTask  *task,
              GError *error)
{
  /* A failure without an error has been seen when the keyring daemon died
   * mid-call: still fail, with a message. */
  if (error == NULL)
    g_task_return_new_error (task, HAIL_STORE_ERROR, HAIL_STORE_ERROR_FAILED,
                             "The keyring failed without saying why");
  else
    g_task_return_error (task, _hail_store_secrets_map_error (error));
}

static void
store_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;

  if (!secret_password_store_finish (result, &error))
    return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

static GError *
no_bus_error (GError *error)
{
  return g_error_new (HAIL_STORE_ERROR, HAIL_STORE_ERROR_NO_SECRET_SERVICE,
                      "No Secret Service (keyring): there is no D-Bus session bus (%s)",
                      error->message);
}

/* A lookup that finds nothing, or a clear that removes nothing, may have
 * met a locked item that could not be unlocked (the prompt failed or was
 * dismissed): libsecret reports no error then. Searching without
 * unlocking tells "locked" from "absent", which the UI must not confuse:
 * @items are what that search found. */
static GError *
not_found_error (const char *account,
                 const char *auth_user,
                 GList      *items)
{
  if (items != NULL)
    return g_error_new (HAIL_STORE_ERROR, HAIL_STORE_ERROR_LOCKED_KEYRING,
                        "The keyring holding the password for %s (user %s) is locked",
                        account, auth_user);
  return g_error_new (HAIL_STORE_ERROR, HAIL_STORE_ERROR_NOT_FOUND,
                      "No password is stored for %s (user %s)", account, auth_user);
}

static void
search_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  Request *request = g_task_get_task_data (task);
  GList *items = secret_password_search_finish (result, &error);

  if (error != NULL)
    return_error (task, error);
  else if (items == NULL && request->op != OP_LOOKUP)
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, not_found_error (request->account, request->auth_user, items));
  g_list_free_full (items, g_object_unref);
}

static void
search_locked (GTask *task)
{
  Request *request = g_task_get_task_data (task);

  secret_password_search (get_schema (), SECRET_SEARCH_ALL, g_task_get_cancellable (task),
                          search_cb, task,
                          "account", request->account,
                          "auth-user", request->auth_user,
                          NULL);
}

static void
lookup_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  char *password = secret_password_lookup_finish (result, &error);

  if (error != NULL)
    return_error (task, error);
  else if (password == NULL)
    search_locked (g_steal_pointer (&task));
  else
    g_task_return_pointer (task, password, (GDestroyNotify) hail_store_secrets_password_free);
}

static void
clear_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;

  if (secret_password_clear_finish (result, &error))
    g_task_return_boolean (task, TRUE);
  else if (error != NULL)
    return_error (task, error);
  else
    search_locked (g_steal_pointer (&task));
}

/* libsecret would try to autolaunch a bus (and fail with an X11 message)
 * when there is none: check the session bus first, for a clear error. */
static void
bus_cb (GObject      *object,
        GAsyncResult *result,
        gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GDBusConnection) bus = g_bus_get_finish (result, &error);
  Request *request = g_task_get_task_data (task);
  GCancellable *cancellable = g_task_get_cancellable (task);

  if (bus == NULL)
    {
      g_task_return_error (task, no_bus_error (error));
      return;
    }

  switch (request->op)
    {
    case OP_STORE:
      {
        g_autofree char *label = g_strdup_printf ("Hail: %s", request->account);

        secret_password_store (get_schema (), SECRET_COLLECTION_DEFAULT, label,
                               request->password, cancellable, store_cb,
                               g_steal_pointer (&task),
                               "account", request->account,
                               "auth-user", request->auth_user,
                               NULL);
      }
      break;
    case OP_LOOKUP:
      secret_password_lookup (get_schema (), cancellable, lookup_cb, g_steal_pointer (&task),
                              "account", request->account,
                              "auth-user", request->auth_user,
                              NULL);
      break;
    case OP_CLEAR:
      secret_password_clear (get_schema (), cancellable, clear_cb, g_steal_pointer (&task),
                             "account", request->account,
                             "auth-user", request->auth_user,
                             NULL);
      break;
    default:
      g_assert_not_reached ();
    }
}

static gboolean
is_task_of (GAsyncResult *result,
            gpointer      source_tag)
{
  return g_task_is_valid (result, NULL) && g_task_get_source_tag (G_TASK (result)) == source_tag;
}

static void
start (Op                   op,
       const char          *account,
       const char          *auth_user,
       const char          *password,
       gpointer             source_tag,
       GCancellable        *cancellable,
       GAsyncReadyCallback  callback,
       gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  Request *request = g_new0 (Request, 1);

  request->op = op;
  request->account = g_strdup (account);
  request->auth_user = g_strdup (auth_user);
  request->password = g_strdup (password);
  g_task_set_source_tag (task, source_tag);
  g_task_set_task_data (task, request, request_free);
  g_bus_get (G_BUS_TYPE_SESSION, cancellable, bus_cb, g_steal_pointer (&task));
}

void
hail_store_secrets_store_async (const char          *account,
                                const char          *auth_user,
                                const char          *password,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_return_if_fail (account != NULL);
  g_return_if_fail (auth_user != NULL);
  g_return_if_fail (password != NULL);

  start (OP_STORE, account, auth_user, password, hail_store_secrets_store_async, cancellable,
         callback, user_data);
}

gboolean
hail_store_secrets_store_finish (GAsyncResult  *result,
                                 GError       **error)
{
  g_return_val_if_fail (is_task_of (result, hail_store_secrets_store_async), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

void
hail_store_secrets_lookup_async (const char          *account,
                                 const char          *auth_user,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_return_if_fail (account != NULL);
  g_return_if_fail (auth_user != NULL);

  start (OP_LOOKUP, account, auth_user, NULL, hail_store_secrets_lookup_async, cancellable,
         callback, user_data);
}

char *
hail_store_secrets_lookup_finish (GAsyncResult  *result,
                                  GError       **error)
{
  g_return_val_if_fail (is_task_of (result, hail_store_secrets_lookup_async), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

char *
hail_store_secrets_lookup_sync (const char    *account,
                                const char    *auth_user,
                                GCancellable  *cancellable,
                                GError       **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GDBusConnection) bus = NULL;
  char *password;

  g_return_val_if_fail (account != NULL, NULL);
  g_return_val_if_fail (auth_user != NULL, NULL);

  bus = g_bus_get_sync (G_BUS_TYPE_SESSION, cancellable, &local_error);
  if (bus == NULL)
    {
      g_propagate_error (error, no_bus_error (local_error));
      return NULL;
    }
  password = secret_password_lookup_sync (get_schema (), cancellable, &local_error,
                                          "account", account,
                                          "auth-user", auth_user,
                                          NULL);
  if (local_error != NULL)
    {
      g_propagate_error (error, _hail_store_secrets_map_error (local_error));
      return NULL;
    }
  if (password == NULL)
    {
      /* As in search_cb(): nothing found may mean locked. */
      GList *items = secret_password_search_sync (get_schema (), SECRET_SEARCH_ALL, cancellable,
                                                  &local_error,
                                                  "account", account,
                                                  "auth-user", auth_user,
                                                  NULL);

      if (local_error != NULL)
        g_propagate_error (error, _hail_store_secrets_map_error (local_error));
      else
        g_propagate_error (error, not_found_error (account, auth_user, items));
      g_list_free_full (items, g_object_unref);
    }
  return password;
}

void
hail_store_secrets_clear_async (const char          *account,
                                const char          *auth_user,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_return_if_fail (account != NULL);
  g_return_if_fail (auth_user != NULL);

  start (OP_CLEAR, account, auth_user, NULL, hail_store_secrets_clear_async, cancellable,
         callback, user_data);
}

gboolean
hail_store_secrets_clear_finish (GAsyncResult  *result,
                                 GError       **error)
{
  g_return_val_if_fail (is_task_of (result, hail_store_secrets_clear_async), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
