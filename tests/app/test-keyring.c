/* test-keyring.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The app when the Secret Service cannot give or keep a password (issue
 * #7, UX.md rule 5), against a real gnome-keyring-daemon on a private
 * dbus-daemon that this test starts. The bus has no service files: no
 * Secret Service unless the test starts one, and no prompter.
 *
 * Without a prompter, gnome-keyring cannot ask for the keyring password:
 * it fails to create the system prompt (org.gnome.keyring.SystemPrompter
 * is not on the bus) and libsecret then reports the prompt as dismissed,
 * at once. That is exactly what the app sees when a user dismisses the
 * unlock prompt, so these tests lock the login collection over D-Bus and
 * let the missing prompter stand for the dismissal; "the user unlocks it"
 * is gnome-keyring's master-password unlock over D-Bus.
 *
 * Each case runs in a child process whose session bus is the private one
 * (GTK and libsecret keep their first bus for the life of a process), with
 * G_MESSAGES_DEBUG=all; the parent asserts that the child's whole output
 * holds no password.
 */
#include "config.h"

#include "hail-core-engine.h"
#include "hail-store-error.h"
#include "hail-store-secrets.h"
#include "hail-test-util.h"
#include "hail-window.h"
#include "../core/test-sip-peer.h"
#include "app-test-util.h"
#include "wizard-test-util.h"

#include <glib/gstdio.h>
#include <string.h>

#define WAIT_MS WIZARD_TEST_WAIT_MS
/* What the user types, and the keyring's own password: neither may reach
 * a log. */
#define TYPED_PASSWORD "typed-Qz81-secret"
#define KEYRING_PASSWORD "login-Hw42-secret"
#define LOGIN_COLLECTION "/org/freedesktop/secrets/collection/login"
#define SECRETS_PATH "/org/freedesktop/secrets"
#define CHILD(w, type, id) GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (w), type, id))

typedef enum {
  KEYRING_NONE,   /* a bus with no Secret Service at all */
  KEYRING_LOGIN,  /* gnome-keyring with an unlocked login collection */
  KEYRING_EMPTY,  /* gnome-keyring with no collection: making one needs a prompt */
} KeyringKind;

typedef struct {
  char        *dir;
  GSubprocess *bus;
  GSubprocess *keyring;
  char        *address;
} PrivateSession;

/* ---- the parent: a private bus, maybe a keyring, then the child ---- */

static GSubprocess *
start_bus (const char  *dir,
           char       **address)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *config_path = g_build_filename (dir, "bus.conf", NULL);
  g_autofree char *config = NULL;
  g_autoptr(GSubprocess) bus = NULL;
  g_autoptr(GDataInputStream) out = NULL;

  /* No <servicedir>: nothing is activated, so the only services are the
   * ones this test starts. */
  config = g_strdup_printf ("<busconfig><type>session</type>"
                            "<listen>unix:tmpdir=%s</listen>"
                            "<policy context=\"default\">"
                            "<allow send_destination=\"*\" eavesdrop=\"true\"/>"
                            "<allow eavesdrop=\"true\"/><allow own=\"*\"/>"
                            "</policy></busconfig>", dir);
  if (!g_file_set_contents (config_path, config, -1, &error))
    g_error ("%s", error->message);
  /* Its stderr says it cannot raise its fd limit when not root: noise. */
  bus = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_SILENCE,
                          &error, "dbus-daemon",
                          "--config-file", config_path, "--nofork", "--nopidfile",
                          "--print-address=1", NULL);
  if (bus == NULL)
    g_error ("dbus-daemon: %s", error->message);
  /* Bounded: the daemon prints its address once listening, or exits. */
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (bus));
  *address = g_data_input_stream_read_line_utf8 (out, NULL, NULL, &error);
  if (*address == NULL)
    g_error ("dbus-daemon printed no address: %s", error ? error->message : "end of output");
  return g_steal_pointer (&bus);
}

static void
name_appeared_cb (GDBusConnection *connection,
                  const char      *name,
                  const char      *owner,
                  gpointer         user_data)
{
  *(gboolean *) user_data = TRUE;
}

static gboolean
is_true (gpointer data)
{
  return *(gboolean *) data;
}

static GSubprocess *
start_keyring (PrivateSession *session,
               KeyringKind     kind)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) keyring = NULL;
  g_autoptr(GDBusConnection) bus = NULL;
  g_autofree char *home = g_build_filename (session->dir, "home", NULL);
  g_autofree char *data = g_build_filename (home, "data", NULL);
  g_autofree char *run = g_build_filename (session->dir, "run", NULL);
  gboolean owned = FALSE;
  guint watch;

  g_assert_cmpint (g_mkdir_with_parents (data, 0700), ==, 0);
  g_assert_cmpint (g_mkdir_with_parents (run, 0700), ==, 0);
  /* Its own HOME and runtime directory: it must neither find the
   * session's keyring daemon nor write the user's keyrings. */
  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE |
                                        G_SUBPROCESS_FLAGS_STDOUT_SILENCE |
                                        G_SUBPROCESS_FLAGS_STDERR_SILENCE);
  g_subprocess_launcher_setenv (launcher, "DBUS_SESSION_BUS_ADDRESS", session->address, TRUE);
  /* The tests' fatal warnings would kill it at its own warning that it
   * cannot show a prompt, which is the behaviour under test. */
  g_subprocess_launcher_unsetenv (launcher, "G_DEBUG");
  g_subprocess_launcher_setenv (launcher, "HOME", home, TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_DATA_HOME", data, TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_CONFIG_HOME", home, TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_CACHE_HOME", home, TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_RUNTIME_DIR", run, TRUE);
  if (kind == KEYRING_LOGIN)
    keyring = g_subprocess_launcher_spawn (launcher, &error, "gnome-keyring-daemon",
                                           "--foreground", "--unlock", "--components=secrets",
                                           NULL);
  else
    keyring = g_subprocess_launcher_spawn (launcher, &error, "gnome-keyring-daemon",
                                           "--foreground", "--components=secrets", NULL);
  if (keyring == NULL)
    g_error ("gnome-keyring-daemon: %s", error->message);
  /* --unlock reads the login keyring's password from stdin, up to EOF. */
  if (kind == KEYRING_LOGIN &&
      !g_output_stream_write_all (g_subprocess_get_stdin_pipe (keyring), KEYRING_PASSWORD,
                                  strlen (KEYRING_PASSWORD), NULL, NULL, &error))
    g_error ("gnome-keyring-daemon's stdin: %s", error->message);
  if (!g_output_stream_close (g_subprocess_get_stdin_pipe (keyring), NULL, &error))
    g_error ("gnome-keyring-daemon's stdin: %s", error->message);

  bus = g_dbus_connection_new_for_address_sync (session->address,
                                                G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT |
                                                G_DBUS_CONNECTION_FLAGS_MESSAGE_BUS_CONNECTION,
                                                NULL, NULL, &error);
  if (bus == NULL)
    g_error ("the private bus: %s", error->message);
  watch = g_bus_watch_name_on_connection (bus, "org.freedesktop.secrets",
                                          G_BUS_NAME_WATCHER_FLAGS_NONE, name_appeared_cb, NULL,
                                          &owned, NULL);
  g_assert_true (hail_test_wait_until (is_true, &owned, WAIT_MS));
  g_bus_unwatch_name (watch);
  g_dbus_connection_close_sync (bus, NULL, NULL);
  return g_steal_pointer (&keyring);
}

static void
stop_process (GSubprocess *process)
{
  g_autoptr(GError) error = NULL;

  if (process == NULL)
    return;
  g_subprocess_send_signal (process, SIGTERM);
  /* Both exit at once on SIGTERM; the wait cannot outlive them. */
  if (!g_subprocess_wait (process, NULL, &error))
    g_error ("%s", error->message);
}

static gboolean
have_tools (void)
{
  static const char * const tools[] = { "dbus-daemon", "gnome-keyring-daemon" };

  for (guint i = 0; i < G_N_ELEMENTS (tools); i++)
    {
      g_autofree char *path = g_find_program_in_path (tools[i]);

      if (path == NULL)
        {
          g_autofree char *why = g_strdup_printf ("%s is not installed", tools[i]);

          g_test_skip (why);
          return FALSE;
        }
    }
  return TRUE;
}

/* Runs the current test again in a child process on a private session
 * bus with @kind of keyring; TRUE in that child. */
static gboolean
in_session (KeyringKind kind)
{
  PrivateSession session = { 0 };
  g_autofree char *outer_bus = NULL;

  if (g_test_subprocess ())
    return TRUE;
  if (!have_tools ())
    return FALSE;

  session.dir = g_dir_make_tmp ("hail-test-keyring-XXXXXX", NULL);
  g_assert_nonnull (session.dir);
  session.bus = start_bus (session.dir, &session.address);
  if (kind != KEYRING_NONE)
    session.keyring = start_keyring (&session, kind);

  outer_bus = g_strdup (g_getenv ("DBUS_SESSION_BUS_ADDRESS"));
  g_setenv ("DBUS_SESSION_BUS_ADDRESS", session.address, TRUE);
  g_test_trap_subprocess (NULL, 60 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_DEFAULT);
  if (outer_bus != NULL)
    g_setenv ("DBUS_SESSION_BUS_ADDRESS", outer_bus, TRUE);
  else
    g_unsetenv ("DBUS_SESSION_BUS_ADDRESS");

  stop_process (session.keyring);
  stop_process (session.bus);
  hail_test_remove_tree (session.dir);
  g_clear_object (&session.keyring);
  g_clear_object (&session.bus);
  g_free (session.address);
  g_free (session.dir);

  g_test_trap_assert_passed ();
  /* The run logged what the keyring said (so the check below reads a real
   * debug log), and no password in any of it. */
  g_test_trap_assert_stdout ("*hail-app-DEBUG*keyring*");
  g_test_trap_assert_stdout_unmatched ("*" TYPED_PASSWORD "*");
  g_test_trap_assert_stderr_unmatched ("*" TYPED_PASSWORD "*");
  g_test_trap_assert_stdout_unmatched ("*" KEYRING_PASSWORD "*");
  g_test_trap_assert_stderr_unmatched ("*" KEYRING_PASSWORD "*");
  return FALSE;
}

/* ---- the child: the app's parts on that bus ---- */

static GDBusConnection *
session_bus (void)
{
  g_autoptr(GError) error = NULL;
  GDBusConnection *bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, &error);

  g_assert_no_error (error);
  return bus;
}

static GVariant *
call_secrets (const char         *interface,
              const char         *method,
              GVariant           *parameters,
              const GVariantType *reply_type)
{
  g_autoptr(GDBusConnection) bus = session_bus ();
  g_autoptr(GError) error = NULL;
  GVariant *reply = g_dbus_connection_call_sync (bus, "org.freedesktop.secrets", SECRETS_PATH,
                                                 interface, method, parameters, reply_type,
                                                 G_DBUS_CALL_FLAGS_NONE, WAIT_MS, NULL, &error);

  g_assert_no_error (error);
  return reply;
}

/* The Secret Service's Lock needs no prompt. */
static void
lock_login (void)
{
  static const char * const paths[] = { LOGIN_COLLECTION };
  g_autoptr(GVariant) reply = NULL;
  g_autofree const char **locked = NULL;
  const char *prompt = NULL;

  reply = call_secrets ("org.freedesktop.Secret.Service", "Lock",
                        g_variant_new ("(^ao)", paths), G_VARIANT_TYPE ("(aoo)"));
  g_variant_get (reply, "(^a&o&o)", &locked, &prompt);
  g_assert_cmpstr (prompt, ==, "/");
  /* The collection, and each of its items. */
  g_assert_true (g_strv_contains (locked, LOGIN_COLLECTION));
}

/* What the user does in the unlock prompt, without one: gnome-keyring's
 * unlock with the keyring password, over a "plain" session. */
static void
unlock_login (void)
{
  g_autoptr(GVariant) opened = NULL;
  g_autoptr(GVariant) output = NULL;
  g_autoptr(GVariant) reply = NULL;
  const char *session = NULL;
  GVariant *secret;

  opened = call_secrets ("org.freedesktop.Secret.Service", "OpenSession",
                         g_variant_new ("(sv)", "plain", g_variant_new_string ("")),
                         G_VARIANT_TYPE ("(vo)"));
  g_variant_get (opened, "(v&o)", &output, &session);
  secret = g_variant_new ("(o@ay@ays)", session,
                          g_variant_new_fixed_array (G_VARIANT_TYPE_BYTE, "", 0, 1),
                          g_variant_new_fixed_array (G_VARIANT_TYPE_BYTE, KEYRING_PASSWORD,
                                                     strlen (KEYRING_PASSWORD), 1),
                          "text/plain");
  reply = call_secrets ("org.gnome.keyring.InternalUnsupportedGuiltRiddenInterface",
                        "UnlockWithMasterPassword",
                        g_variant_new ("(o@(oayays))", LOGIN_COLLECTION, secret),
                        G_VARIANT_TYPE ("()"));
}

static void
result_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static gboolean
is_set (gpointer data)
{
  return *(gpointer *) data != NULL;
}

static void
store_password (const char *address)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  hail_store_secrets_store_async (address, "alice", TYPED_PASSWORD, NULL, result_cb, &result);
  g_assert_true (hail_test_wait_until (is_set, &result, WAIT_MS));
  g_assert_true (hail_store_secrets_store_finish (result, &error));
  g_assert_no_error (error);
}

/* The keyring's answer for @address: its password or NULL and @error. */
static char *
lookup_password (const char  *address,
                 GError     **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  hail_store_secrets_lookup_async (address, "alice", NULL, result_cb, &result);
  g_assert_true (hail_test_wait_until (is_set, &result, WAIT_MS));
  return hail_store_secrets_lookup_finish (result, error);
}

/* The wizard said the password is not saved, offers Retry, is still open
 * and still holds what was typed. */
static void
assert_not_saved (HailAccountWizard *wizard,
                  const char        *expected_text)
{
  g_assert_cmpstr (wizard_test_title (wizard), ==, "Password Not Saved");
  g_assert_cmpstr (wizard_test_text (wizard), ==, expected_text);
  g_assert_true (gtk_widget_get_visible (WIZ (wizard, "retry_button")));
  g_assert_false (gtk_widget_in_destruction (GTK_WIDGET (wizard)));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (WIZ (wizard, "password_row"))), ==,
                   TYPED_PASSWORD);
}

/* Nothing is stored for the account (asked once the keyring can answer). */
static void
assert_nothing_stored (const char *address)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *stored = lookup_password (address, &error);

  g_assert_error (error, HAIL_STORE_ERROR, HAIL_STORE_ERROR_NOT_FOUND);
  g_assert_null (stored);
}

/* What every case has: a registrar that accepts alice, the account list
 * and the real engine. */
typedef struct {
  TestSipPeer     *registrar;
  char            *address;
  HailAccountList *list;
  HailEngine      *engine;
} Fixture;

static void
fixture_init (Fixture *f)
{
  f->registrar = test_sip_peer_new (0);
  f->address = test_sip_peer_uri (f->registrar, "alice");
  f->list = wizard_test_new_list ();
  f->engine = hail_core_engine_new (f->list);
}

/* The account as saved earlier, and the engine started as the app does. */
static void
fixture_start (Fixture *f)
{
  g_autoptr(HailAccountConfig) config = hail_account_config_new (f->address);

  hail_account_list_save (f->list, config);
  hail_core_engine_start (HAIL_CORE_ENGINE (f->engine));
}

static void
fixture_clear (Fixture *f)
{
  g_clear_object (&f->engine);
  g_clear_object (&f->list);
  g_clear_pointer (&f->address, g_free);
  g_clear_pointer (&f->registrar, test_sip_peer_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Fixture, fixture_clear)

static HailAccountWizard *
run_wizard (Fixture *f)
{
  return wizard_test_run (f->list, f->engine, f->address, TYPED_PASSWORD);
}

typedef struct {
  HailEngine             *engine;
  const char             *address;
  HailEngineAccountState  state;
} StateWait;

static gboolean
reached_state (gpointer data)
{
  StateWait *wait = data;

  return hail_engine_get_account_state (wait->engine, wait->address, NULL) == wait->state;
}

static void
wait_for_state (HailEngine             *engine,
                const char             *address,
                HailEngineAccountState  state)
{
  StateWait wait = { engine, address, state };

  g_assert_true (hail_test_wait_until (reached_state, &wait, WAIT_MS));
}

static char *
reason_of (HailEngine *engine,
           const char *address)
{
  g_autoptr(GError) reason = NULL;

  hail_engine_get_account_state (engine, address, &reason);
  g_assert_nonnull (reason);
  return g_strdup (reason->message);
}

static AdwActionRow *
account_row (HailWindow *window)
{
  GtkWidget *list = CHILD (window, HAIL_TYPE_WINDOW, "accounts_list");

  return ADW_ACTION_ROW (gtk_list_box_get_row_at_index (GTK_LIST_BOX (list), 0));
}

/* The row's first button is Retry while the account has failed, then
 * Edit, Remove. */
static gboolean
offers_retry (AdwActionRow *row)
{
  GtkWidget *button = app_test_find_widget (GTK_WIDGET (row), GTK_TYPE_BUTTON);

  return button != NULL && g_strcmp0 (gtk_button_get_label (GTK_BUTTON (button)), "Retry") == 0;
}

#define LOCKED_AT_START \
  "The keyring is locked, so Hail cannot read the password. Choose Retry to unlock it " \
  "and sign in."
#define LOCKED_IN_WIZARD \
  "The account works, but the keyring is locked, so the password was not saved. Choose " \
  "Retry to unlock it and save the password. What you typed is kept."
#define NO_SERVICE_IN_WIZARD \
  "The account works, but no keyring service is running. Hail keeps passwords only in " \
  "the keyring, never in a plain file. Start GNOME Keyring (or another Secret Service), " \
  "then choose Retry. What you typed is kept."
#define NO_KEYRING_YET_IN_WIZARD \
  "The account works, but the keyring could not save the password: there is no keyring " \
  "to keep it in, and making one was cancelled ("
#define NO_SERVICE_AT_START \
  "No keyring service is running, and Hail keeps passwords only there. Start GNOME " \
  "Keyring (or another Secret Service), then choose Retry."

/* (a) The password is stored, the keyring is locked at start-up and the
 * unlock prompt is dismissed: the account says "locked" with Retry, never
 * "wrong password", and sends no REGISTER; once unlocked, Retry signs in. */
static void
test_locked_at_start (void)
{
  g_auto(Fixture) f = { 0 };
  g_autoptr(GSettings) settings = NULL;
  g_autofree char *reason = NULL;
  g_autofree char *subtitle = NULL;
  HailWindow *window;

  if (!in_session (KEYRING_LOGIN))
    return;
  fixture_init (&f);
  store_password (f.address);
  lock_login ();

  settings = g_settings_new (APP_ID);
  window = g_object_ref_sink (hail_window_new (NULL, settings, f.list, f.engine));
  fixture_start (&f);
  wait_for_state (f.engine, f.address, HAIL_ENGINE_ACCOUNT_STATE_FAILED);
  reason = reason_of (f.engine, f.address);
  g_assert_cmpstr (reason, ==, LOCKED_AT_START);
  g_assert_cmpuint (f.registrar->n_registers, ==, 0);
  subtitle = g_strdup_printf ("Not connected: %s", LOCKED_AT_START);
  g_assert_cmpstr (adw_action_row_get_subtitle (account_row (window)), ==, subtitle);
  g_assert_true (offers_retry (account_row (window)));

  unlock_login ();
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.retry-account", "s",
                                             f.address));
  wait_for_state (f.engine, f.address, HAIL_ENGINE_ACCOUNT_STATE_ONLINE);
  g_assert_cmpuint (f.registrar->n_registers, >=, 1);
  g_assert_cmpstr (adw_action_row_get_subtitle (account_row (window)), ==, "Online");
  g_assert_false (offers_retry (account_row (window)));

  gtk_window_destroy (GTK_WINDOW (window));
  g_object_unref (window);
}

/* (a) and (c) The server accepts the account but the keyring is locked
 * and the prompt dismissed, so it refuses to store: the wizard says so,
 * stays open with what was typed, and stores nothing; once unlocked,
 * Retry saves the typed password. */
static void
test_locked_in_wizard (void)
{
  g_auto(Fixture) f = { 0 };
  g_autoptr(GError) error = NULL;
  g_autofree char *stored = NULL;
  HailAccountWizard *wizard;
  guint registers;

  if (!in_session (KEYRING_LOGIN))
    return;
  fixture_init (&f);
  lock_login ();

  wizard = run_wizard (&f);
  assert_not_saved (wizard, LOCKED_IN_WIZARD);
  registers = f.registrar->n_registers;
  g_assert_cmpuint (registers, >=, 1);
  unlock_login ();
  assert_nothing_stored (f.address);

  /* The check passed already: Retry only saves. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (wizard), "wizard.retry", NULL));
  g_assert_true (hail_test_wait_until (wizard_test_shows_result, wizard, WAIT_MS));
  g_assert_cmpstr (wizard_test_title (wizard), ==, "Account Ready");
  g_assert_cmpuint (f.registrar->n_registers, ==, registers);
  stored = lookup_password (f.address, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (stored, ==, TYPED_PASSWORD);
  hail_store_secrets_password_free (g_steal_pointer (&stored));
  wizard_test_finish (wizard);
}

/* (c) gnome-keyring has no keyring yet: storing needs a new one, whose
 * "choose a password" prompt is dismissed (UX.md rule 5: GNOME Calls
 * loses the password here). The wizard says it is not saved and keeps
 * the password. */
static void
test_no_keyring_yet_in_wizard (void)
{
  g_auto(Fixture) f = { 0 };
  HailAccountWizard *wizard;

  if (!in_session (KEYRING_EMPTY))
    return;
  fixture_init (&f);

  wizard = run_wizard (&f);
  /* gnome-keyring answers "no such object" for the missing collection:
   * the service is there, so it is not called absent. */
  g_assert_true (g_str_has_prefix (wizard_test_text (wizard), NO_KEYRING_YET_IN_WIZARD));
  assert_not_saved (wizard, wizard_test_text (wizard));
  assert_nothing_stored (f.address);
  wizard_test_finish (wizard);
}

/* (b) A session bus with no Secret Service: the wizard says so in Hail's
 * words, does not claim to have saved anything, and keeps the password. */
static void
test_no_service_in_wizard (void)
{
  g_auto(Fixture) f = { 0 };
  HailAccountWizard *wizard;

  if (!in_session (KEYRING_NONE))
    return;
  fixture_init (&f);

  wizard = run_wizard (&f);
  assert_not_saved (wizard, NO_SERVICE_IN_WIZARD);
  wizard_test_finish (wizard);
}

/* (b) At start-up on that bus: the reason beside the account. */
static void
test_no_service_at_start (void)
{
  g_auto(Fixture) f = { 0 };
  g_autofree char *reason = NULL;

  if (!in_session (KEYRING_NONE))
    return;
  fixture_init (&f);
  fixture_start (&f);
  wait_for_state (f.engine, f.address, HAIL_ENGINE_ACCOUNT_STATE_FAILED);
  reason = reason_of (f.engine, f.address);
  g_assert_cmpstr (reason, ==, NO_SERVICE_AT_START);
  g_assert_cmpuint (f.registrar->n_registers, ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *tmp = g_dir_make_tmp ("hail-test-keyring-app-XXXXXX", NULL);

  /* The children log everything, for in_session to search. */
  for (int i = 1; i < argc; i++)
    if (g_strcmp0 (argv[i], "--GTestSubprocess") == 0)
      g_setenv ("G_MESSAGES_DEBUG", "all", TRUE);
  g_assert_nonnull (tmp);
  g_setenv ("XDG_DATA_HOME", tmp, TRUE);
  if (!app_test_init (&argc, &argv))
    return 0;

  g_test_add_func ("/app/keyring/locked/at-start", test_locked_at_start);
  g_test_add_func ("/app/keyring/locked/wizard", test_locked_in_wizard);
  g_test_add_func ("/app/keyring/no-keyring-yet/wizard", test_no_keyring_yet_in_wizard);
  g_test_add_func ("/app/keyring/no-service/wizard", test_no_service_in_wizard);
  g_test_add_func ("/app/keyring/no-service/at-start", test_no_service_at_start);

  return g_test_run ();
}
