/* test-engine-peer.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * HailCoreEngine against a raw UDP registrar and peer on 127.0.0.1, with
 * the password in the real Secret Service (tests/run-all.sh starts an
 * unlocked gnome-keyring; without one the cases skip): removing an
 * account signs it out and deletes its password; Retry on a failed
 * message sends exactly that message again; Retry on a file starts only
 * for a stored file that failed, and offers it to the peer again.
 */
#include "config.h"

#include "hail-account-list.h"
#include "hail-account-removal.h"
#include "hail-account-wizard.h"
#include "hail-core-engine.h"
#include "hail-store-error.h"
#include "hail-store-secrets.h"
#include "hail-test-util.h"
#include "../core/test-sip-peer.h"

#include <glib/gstdio.h>

#include <string.h>

#define WAIT_MS 30000

typedef struct {
  TestSipPeer       *server;
  HailAccountList   *list;
  HailEngine        *engine;
  HailStore         *store;
  HailAccountConfig *config;
  char              *dir;
  char              *address;
  GAsyncResult      *result;
  gboolean           trace;     /* whether the SIP trace is on from the start */
} Fixture;

static void
done_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  Fixture *f = user_data;

  g_set_object (&f->result, result);
}

static gboolean
has_result (gpointer user_data)
{
  return ((Fixture *) user_data)->result != NULL;
}

static void
wait_result (Fixture *f)
{
  g_assert_true (hail_test_wait_until (has_result, f, WAIT_MS));
}


static gboolean
is_online (gpointer user_data)
{
  Fixture *f = user_data;

  return hail_engine_get_account_state (f->engine, f->address, NULL) ==
         HAIL_ENGINE_ACCOUNT_STATE_ONLINE;
}

/* An account of @f->server's registrar, its password in the keyring,
 * signed in. FALSE (and skipped) without a Secret Service. */
static gboolean
fixture_start (Fixture *f,
               guint    n_refusals)
{
  g_autoptr(GSettings) settings = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *uuid = g_uuid_string_random ();
  g_autofree char *path = NULL;
  g_autofree char *login = NULL;

  if (!hail_test_secret_service_running ())
    {
      g_test_skip ("org.freedesktop.secrets has no owner on the session bus: start "
                   "gnome-keyring-daemon --unlock --components=secrets (tests/run-all.sh does)");
      return FALSE;
    }
  f->server = test_sip_peer_new (n_refusals);
  /* A user of its own, so parallel runs share no keyring entry. */
  f->address = g_strdup_printf ("sip:t%.8s@127.0.0.1:%u", uuid, f->server->port);
  f->config = hail_account_config_new (f->address);
  hail_account_config_set_transport (f->config, "udp");

  login = hail_account_config_dup_login (f->config);
  hail_store_secrets_store_async (f->address, login, "s3cret", NULL, done_cb, f);
  wait_result (f);
  g_assert_true (hail_store_secrets_store_finish (f->result, &error));
  g_assert_no_error (error);
  g_clear_object (&f->result);

  f->dir = g_dir_make_tmp ("hail-engine-peer-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (f->dir, "history.db", NULL);
  f->store = hail_store_new_sync (path, &error);
  g_assert_no_error (error);

  settings = g_settings_new (APP_ID);
  g_settings_reset (settings, "accounts");
  f->list = hail_account_list_new (settings);
  hail_account_list_save (f->list, f->config);
  g_setenv ("HAIL_SIP_T1_MS", "20", TRUE);
  f->engine = hail_core_engine_new (f->list);
  g_unsetenv ("HAIL_SIP_T1_MS");
  hail_sip_trace_set_enabled (hail_core_engine_get_sip_trace (HAIL_CORE_ENGINE (f->engine)),
                              f->trace);
  hail_core_engine_set_store (HAIL_CORE_ENGINE (f->engine), f->store);
  hail_core_engine_start (HAIL_CORE_ENGINE (f->engine));
  g_assert_true (hail_test_wait_until (is_online, f, WAIT_MS));
  g_assert_true (f->server->bound);
  return TRUE;
}

static void
fixture_clear (Fixture *f)
{
  if (f->engine != NULL)
    {
      g_clear_object (&f->result);
      hail_engine_shutdown_async (f->engine, done_cb, f);
      wait_result (f);
      hail_engine_shutdown_finish (f->engine, f->result);
    }
  if (f->address != NULL && f->config != NULL)
    {
      g_autofree char *login = hail_account_config_dup_login (f->config);

      /* What a failed case left behind. */
      g_clear_object (&f->result);
      hail_store_secrets_clear_async (f->address, login, NULL, done_cb, f);
      wait_result (f);
    }
  g_clear_object (&f->result);
  g_clear_object (&f->engine);
  g_clear_object (&f->list);
  g_clear_object (&f->config);
  g_clear_object (&f->store);
  g_clear_pointer (&f->server, test_sip_peer_free);
  if (f->dir != NULL)
    {
      static const char *names[] = {
        "history.db", "history.db-wal", "history.db-shm", "report.bin"
      };

      for (guint i = 0; i < G_N_ELEMENTS (names); i++)
        {
          g_autofree char *path = g_build_filename (f->dir, names[i], NULL);

          g_remove (path);
        }
      g_rmdir (f->dir);
    }
  g_free (f->dir);
  g_free (f->address);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Fixture, fixture_clear)

static gboolean
unbound (gpointer user_data)
{
  return !((TestSipPeer *) user_data)->bound;
}

static void
test_remove_signs_out_and_forgets (void)
{
  g_auto(Fixture) f = { NULL };
  g_autoptr(GError) error = NULL;
  g_autofree char *login = NULL;
  char *password;

  if (!fixture_start (&f, 0))
    return;
  login = hail_account_config_dup_login (f.config);
  hail_account_removal_run_async (f.list, f.config, NULL, done_cb, &f);
  wait_result (&f);
  g_assert_true (hail_account_removal_run_finish (f.result, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (f.list)), ==, 0);

  /* REGISTER with Expires: 0 reached the registrar. */
  g_assert_true (hail_test_wait_until (unbound, f.server, WAIT_MS));
  g_assert_cmpuint (f.server->n_registers, ==, 2);

  g_clear_object (&f.result);
  hail_store_secrets_lookup_async (f.address, login, NULL, done_cb, &f);
  wait_result (&f);
  password = hail_store_secrets_lookup_finish (f.result, &error);
  g_assert_null (password);
  g_assert_error (error, HAIL_STORE_ERROR, HAIL_STORE_ERROR_NOT_FOUND);
}

/* The engine feeds its trace from each account it runs, and stops when
 * the account is removed: the sign-out is not recorded. */
static void
test_traces_until_removed (void)
{
  g_auto(Fixture) f = { NULL };
  g_autoptr(GError) error = NULL;
  GListModel *trace;
  gboolean sent_register = FALSE;
  gboolean got_ok = FALSE;
  guint n;

  f.trace = TRUE;
  if (!fixture_start (&f, 0))
    return;
  trace = G_LIST_MODEL (hail_core_engine_get_sip_trace (HAIL_CORE_ENGINE (f.engine)));
  n = g_list_model_get_n_items (trace);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(HailSipTraceEntry) entry = g_list_model_get_item (trace, i);
      const char *first_line = hail_sip_trace_entry_get_first_line (entry);

      g_assert_cmpstr (hail_sip_trace_entry_get_account (entry), ==, f.address);
      g_assert_null (strstr (hail_sip_trace_entry_get_text (entry), "s3cret"));
      sent_register |= hail_sip_trace_entry_get_outgoing (entry) &&
                       g_str_has_prefix (first_line, "REGISTER ");
      got_ok |= !hail_sip_trace_entry_get_outgoing (entry) &&
                g_str_has_prefix (first_line, "SIP/2.0 200");
    }
  g_assert_true (sent_register);
  g_assert_true (got_ok);

  hail_account_removal_run_async (f.list, f.config, NULL, done_cb, &f);
  wait_result (&f);
  g_assert_true (hail_account_removal_run_finish (f.result, &error));
  g_assert_no_error (error);
  g_assert_true (hail_test_wait_until (unbound, f.server, WAIT_MS));
  g_assert_cmpuint (g_list_model_get_n_items (trace), ==, n);
}

static HailStoreMessage *
only_message (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) conversations = hail_store_list_conversations_sync (f->store, &error);
  g_autoptr(HailStoreConversation) conversation = NULL;
  g_autoptr(GListModel) messages = NULL;

  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (conversations), ==, 1);
  conversation = g_list_model_get_item (conversations, 0);
  messages = hail_store_list_messages_sync (f->store,
                                            hail_store_conversation_get_id (conversation), 0, 10,
                                            &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (messages), ==, 1);
  return g_list_model_get_item (messages, 0);
}

static void
test_retry_resends_chosen (void)
{
  g_auto(Fixture) f = { NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(HailStoreMessage) failed = NULL;
  g_autoptr(HailStoreMessage) sent = NULL;
  g_autofree char *remote = NULL;
  gint64 id;

  if (!fixture_start (&f, 1))
    return;
  remote = test_sip_peer_uri (f.server, "carol");
  hail_engine_send_message_async (f.engine, f.address, remote, "once more", NULL, done_cb, &f);
  wait_result (&f);
  /* Refused, but stored: the window shows the row with its reason. */
  id = hail_engine_send_message_finish (f.engine, f.result, &error);
  g_assert_no_error (error);
  g_assert_cmpint (id, >, 0);
  failed = only_message (&f);
  g_assert_cmpint (hail_store_message_get_state (failed), ==, HAIL_STORE_MESSAGE_STATE_FAILED);
  g_assert_cmpuint (hail_store_message_get_status (failed), ==, 480);

  g_clear_object (&f.result);
  hail_engine_resend_message_async (f.engine, id, NULL, done_cb, &f);
  wait_result (&f);
  g_assert_true (hail_engine_resend_message_finish (f.engine, f.result, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (f.server->messages->len, ==, 2);
  g_assert_cmpstr (g_ptr_array_index (f.server->messages, 0), ==,
                   g_ptr_array_index (f.server->messages, 1));
  sent = only_message (&f);
  g_assert_cmpint (hail_store_message_get_id (sent), ==, id);
  g_assert_cmpint (hail_store_message_get_state (sent), ==, HAIL_STORE_MESSAGE_STATE_SENT);

  /* A message already sent is not sent twice. */
  g_clear_object (&f.result);
  hail_engine_resend_message_async (f.engine, id, NULL, done_cb, &f);
  wait_result (&f);
  g_assert_false (hail_engine_resend_message_finish (f.engine, f.result, &error));
  g_assert_error (error, HAIL_ENGINE_ERROR, HAIL_ENGINE_ERROR_FAILED);
  g_assert_cmpstr (error->message, ==, "Only a message that failed can be sent again.");
  g_assert_cmpuint (f.server->messages->len, ==, 2);
}

/* An outgoing file to the peer's "carol", stored as an earlier run left
 * it: @failed, or delivered. The file itself is in @f->dir. */
static gint64
seed_file (Fixture  *f,
           gboolean  failed)
{
  static const char contents[] = "the quarterly figures";
  g_autoptr(GError) error = NULL;
  g_autoptr(HailStoreMessage) draft = NULL;
  g_autofree char *path = g_build_filename (f->dir, "report.bin", NULL);
  g_autofree char *uri = g_filename_to_uri (path, NULL, NULL);
  g_autofree char *remote = test_sip_peer_uri (f->server, "carol");
  gint64 id;

  g_file_set_contents (path, contents, sizeof contents - 1, &error);
  g_assert_no_error (error);
  draft = g_object_new (HAIL_TYPE_STORE_MESSAGE,
                        "account", f->address,
                        "remote", remote,
                        "direction", HAIL_STORE_DIRECTION_OUT,
                        "body", "report.bin",
                        "content-type", "application/octet-stream",
                        "mode", HAIL_STORE_MESSAGE_MODE_SESSION,
                        "file-name", "report.bin",
                        "file-size", (gint64) (sizeof contents - 1),
                        "file-uri", uri,
                        "time-sent", g_get_real_time (),
                        NULL);
  g_clear_object (&f->result);
  hail_store_add_outgoing_message_async (f->store, draft, NULL, done_cb, f);
  wait_result (f);
  id = hail_store_add_outgoing_message_finish (f->store, f->result, &error);
  g_assert_no_error (error);
  g_clear_object (&f->result);
  hail_store_set_message_state_async (f->store, id,
                                      failed ? HAIL_STORE_MESSAGE_STATE_FAILED
                                             : HAIL_STORE_MESSAGE_STATE_DELIVERED,
                                      0, failed ? "the peer went away" : NULL, NULL, done_cb, f);
  wait_result (f);
  g_assert_true (hail_store_set_message_state_finish (f->store, f->result, &error));
  g_assert_no_error (error);
  g_clear_object (&f->result);
  return id;
}

/* hail_engine_retry_file_async() on @id: the view, or NULL and @error. */
static HailTransferView *
retry_file (Fixture  *f,
            gint64    id,
            GError  **error)
{
  g_clear_object (&f->result);
  hail_engine_retry_file_async (f->engine, id, NULL, done_cb, f);
  wait_result (f);
  return hail_engine_retry_file_finish (f->engine, f->result, error);
}

/* That Retry on @id starts nothing and says @why. */
static void
assert_retry_refused (Fixture    *f,
                      gint64      id,
                      const char *why)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HailTransferView) view = retry_file (f, id, &error);

  g_assert_null (view);
  g_assert_error (error, HAIL_ENGINE_ERROR, HAIL_ENGINE_ERROR_FAILED);
  g_assert_cmpstr (error->message, ==, why);
}

/* A row deleted since its window showed it (here: one never stored). */
static void
test_retry_file_gone (void)
{
  g_auto(Fixture) f = { NULL };

  if (!fixture_start (&f, 0))
    return;
  assert_retry_refused (&f, seed_file (&f, TRUE) + 1000,
                        "This file is no longer in the history.");
}

/* A file already delivered is not offered again. */
static void
test_retry_file_not_failed (void)
{
  g_auto(Fixture) f = { NULL };
  g_autoptr(HailStoreMessage) row = NULL;

  if (!fixture_start (&f, 0))
    return;
  assert_retry_refused (&f, seed_file (&f, FALSE), "Only a file that failed can be sent again.");
  row = only_message (&f);
  g_assert_cmpint (hail_store_message_get_state (row), ==, HAIL_STORE_MESSAGE_STATE_DELIVERED);
}

/* Whether the trace holds an outgoing INVITE offering report.bin over
 * MSRP (RFC 5547) and the peer's 200 to an INVITE. */
static gboolean
file_offered (gpointer user_data)
{
  GListModel *trace = user_data;
  gboolean offered = FALSE;
  gboolean answered = FALSE;

  for (guint i = 0; i < g_list_model_get_n_items (trace); i++)
    {
      g_autoptr(HailSipTraceEntry) entry = g_list_model_get_item (trace, i);
      const char *first_line = hail_sip_trace_entry_get_first_line (entry);
      const char *text = hail_sip_trace_entry_get_text (entry);

      if (hail_sip_trace_entry_get_outgoing (entry))
        offered |= g_str_has_prefix (first_line, "INVITE ")
                   && strstr (text, "m=message ") != NULL
                   && strstr (text, "a=file-selector:") != NULL
                   && strstr (text, "name:\"report.bin\"") != NULL;
      else
        answered |= g_str_has_prefix (first_line, "SIP/2.0 200")
                    && strstr (text, " INVITE\r\n") != NULL;
    }
  return offered && answered;
}

static gboolean
view_failed (gpointer view)
{
  return hail_transfer_view_get_state (view) == HAIL_TRANSFER_VIEW_STATE_FAILED;
}

/* A stored file that failed is offered to the same peer again, by a
 * transfer for that very row. The raw peer answers with audio only, so
 * what is checked is the INVITE on the wire and its answer, not bytes,
 * and how the transfer ends. */

static void
test_retry_file_offers_again (void)
{
  g_auto(Fixture) f = { NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(HailTransferView) view = NULL;
  g_autofree char *remote = NULL;
  g_autofree char *expected_remote = NULL;
  g_autofree char *name = NULL;
  g_autofree char *reason = NULL;
  gboolean unsupported = FALSE;
  HailSipTrace *trace;
  gint64 id;

  f.trace = TRUE;
  if (!fixture_start (&f, 0))
    return;
  id = seed_file (&f, TRUE);
  view = retry_file (&f, id, &error);
  g_assert_no_error (error);
  g_assert_nonnull (view);
  g_assert_cmpint (hail_transfer_view_get_id (view), ==, id);
  g_assert_true (hail_transfer_view_is_outgoing (view));
  name = hail_transfer_view_dup_name (view);
  g_assert_cmpstr (name, ==, "report.bin");
  remote = hail_transfer_view_dup_remote (view);
  expected_remote = test_sip_peer_uri (f.server, "carol");
  g_assert_cmpstr (remote, ==, expected_remote);
  trace = hail_core_engine_get_sip_trace (HAIL_CORE_ENGINE (f.engine));
  g_assert_true (hail_test_wait_until (file_offered, trace, WAIT_MS));
  /* Audio only: the peer's app cannot take the file. That is a failure
   * the row words plainly and offers to retry, not a refusal. */
  g_assert_true (hail_test_wait_until (view_failed, view, WAIT_MS));
  g_object_get (view, "unsupported", &unsupported, "reason", &reason, NULL);
  g_assert_true (unsupported);
  g_assert_cmpstr (reason, ==, "the other side's app cannot take this file");
}

static char *
lookup_password (Fixture    *f,
                 const char *address,
                 const char *login,
                 GError    **error)
{
  g_clear_object (&f->result);
  hail_store_secrets_lookup_async (address, login, NULL, done_cb, f);
  wait_result (f);
  return hail_store_secrets_lookup_finish (f->result, error);
}

static gboolean
wizard_ready (gpointer data)
{
  GtkWidget *wizard = data;
  GtkStack *stack = GTK_STACK (gtk_widget_get_template_child (wizard, HAIL_TYPE_ACCOUNT_WIZARD,
                                                              "check_stack"));
  AdwStatusPage *result = ADW_STATUS_PAGE (gtk_widget_get_template_child (
                                             wizard, HAIL_TYPE_ACCOUNT_WIZARD, "result_page"));

  return g_strcmp0 (gtk_stack_get_visible_child_name (stack), "result") == 0 &&
         g_strcmp0 (adw_status_page_get_title (result), "Account Ready") == 0;
}

/* An edit that changes the address moves the password: it is stored
 * under the new address and no entry is left under the old one. */
static void
test_edit_moves_password (void)
{
  g_auto(Fixture) f = { NULL };
  g_autoptr(GError) error = NULL;
  g_autofree char *uuid = g_uuid_string_random ();
  g_autofree char *old_address = NULL;
  g_autofree char *old_login = NULL;
  g_autofree char *new_login = NULL;
  HailAccountWizard *wizard;
  char *password;

  if (!fixture_start (&f, 0))
    return;
  old_address = g_strdup (f.address);
  old_login = hail_account_config_dup_login (f.config);
  wizard = g_object_ref_sink (hail_account_wizard_new (f.list, f.engine, f.config));
  g_free (f.address);
  f.address = g_strdup_printf ("sip:u%.8s@127.0.0.1:%u", uuid, f.server->port);
  gtk_editable_set_text (GTK_EDITABLE (gtk_widget_get_template_child (
                           GTK_WIDGET (wizard), HAIL_TYPE_ACCOUNT_WIZARD, "address_row")),
                         f.address);
  gtk_editable_set_text (GTK_EDITABLE (gtk_widget_get_template_child (
                           GTK_WIDGET (wizard), HAIL_TYPE_ACCOUNT_WIZARD, "password_row")),
                         "n3w-s3cret");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (wizard), "wizard.next", NULL));
  g_assert_true (hail_test_wait_until (wizard_ready, wizard, WAIT_MS));
  g_assert_cmpstr (hail_account_config_get_address (f.config), ==, f.address);

  new_login = hail_account_config_dup_login (f.config);
  password = lookup_password (&f, f.address, new_login, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (password, ==, "n3w-s3cret");
  hail_store_secrets_password_free (password);
  /* The old entry is cleared once the new one is stored, in several
   * D-Bus calls of its own: asked again until it is gone, a bounded
   * number of round trips. */
  for (guint i = 0; i < 200; i++)
    {
      g_clear_error (&error);
      password = lookup_password (&f, old_address, old_login, &error);
      if (password == NULL)
        break;
      hail_store_secrets_password_free (password);
    }
  g_assert_null (password);
  g_assert_error (error, HAIL_STORE_ERROR, HAIL_STORE_ERROR_NOT_FOUND);

  gtk_window_destroy (GTK_WINDOW (wizard));
  g_object_unref (wizard);
}

int
main (int   argc,
      char *argv[])
{
  gboolean display = g_getenv ("DISPLAY") != NULL || g_getenv ("WAYLAND_DISPLAY") != NULL;

  if (display)
    {
      gtk_test_init (&argc, &argv, NULL);
      adw_init ();
    }
  else
    g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/app/engine-peer/remove-signs-out-and-forgets",
                   test_remove_signs_out_and_forgets);
  g_test_add_func ("/app/engine-peer/retry-resends-chosen", test_retry_resends_chosen);
  g_test_add_func ("/app/engine-peer/retry-file-gone", test_retry_file_gone);
  g_test_add_func ("/app/engine-peer/retry-file-not-failed", test_retry_file_not_failed);
  g_test_add_func ("/app/engine-peer/retry-file-offers-again", test_retry_file_offers_again);
  g_test_add_func ("/app/engine-peer/traces-until-removed", test_traces_until_removed);
  /* The wizard needs a display (tests/run-all.sh starts Xvfb). */
  if (display)
    g_test_add_func ("/app/engine-peer/edit-moves-password", test_edit_moves_password);

  return g_test_run ();
}
