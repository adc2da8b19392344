/* test-wizard-failures.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The account wizard over the real engine (HailCoreEngine) names each
 * cause of a failed check in words, on its result page, and the main
 * window reads the same words beside the account (issue #7, UX.md rule
 * 3): a DNS name that does not exist, a registrar that forbids the
 * account. A missing keyring is said as such, in the wizard (the password
 * field keeps what was typed) and at start-up (UX.md rule 5). Nothing
 * answering, no answer in time and the bad CA file are in
 * test-core-engine.c; wrong password and an untrusted certificate against
 * Kamailio in test-wizard-e2e.py.
 */
#include "config.h"

#include "hail-core-engine.h"
#include "hail-test-util.h"
#include "../core/test-sip-peer.h"
#include "app-test-util.h"
#include "wizard-test-util.h"

#define WAIT_MS WIZARD_TEST_WAIT_MS

/* A DNS that has no record of any name, as a real server answers
 * NXDOMAIN: the wizard must say "not found" for exactly this error. The
 * resolver's own handling of real DNS answers is tested against dns.py
 * (tests/e2e/test-dns.py); IP literals never reach a GResolver. */
#define TEST_TYPE_NXDOMAIN_RESOLVER (test_nxdomain_resolver_get_type ())
G_DECLARE_FINAL_TYPE (TestNxdomainResolver, test_nxdomain_resolver, TEST, NXDOMAIN_RESOLVER,
                      GResolver)

struct _TestNxdomainResolver {
  GResolver parent_instance;
};

G_DEFINE_TYPE (TestNxdomainResolver, test_nxdomain_resolver, G_TYPE_RESOLVER)

static GError *
nxdomain (const char *name)
{
  return g_error_new (G_RESOLVER_ERROR, G_RESOLVER_ERROR_NOT_FOUND,
                      "Error resolving “%s”: Name or service not known", name);
}

static GList *
lookup_by_name (GResolver     *resolver,
                const char    *hostname,
                GCancellable  *cancellable,
                GError       **error)
{
  g_propagate_error (error, nxdomain (hostname));
  return NULL;
}

static void
lookup_async (GResolver           *resolver,
              const char          *name,
              GCancellable        *cancellable,
              GAsyncReadyCallback  callback,
              gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (resolver, cancellable, callback, user_data);

  g_task_return_error (task, nxdomain (name));
}

static void
lookup_by_name_with_flags_async (GResolver                *resolver,
                                 const char               *hostname,
                                 GResolverNameLookupFlags  flags,
                                 GCancellable             *cancellable,
                                 GAsyncReadyCallback       callback,
                                 gpointer                  user_data)
{
  lookup_async (resolver, hostname, cancellable, callback, user_data);
}

static void
lookup_records_async (GResolver           *resolver,
                      const char          *rrname,
                      GResolverRecordType  record_type,
                      GCancellable        *cancellable,
                      GAsyncReadyCallback  callback,
                      gpointer             user_data)
{
  lookup_async (resolver, rrname, cancellable, callback, user_data);
}

static GList *
lookup_finish (GResolver     *resolver,
               GAsyncResult  *result,
               GError       **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
test_nxdomain_resolver_class_init (TestNxdomainResolverClass *klass)
{
  GResolverClass *resolver_class = G_RESOLVER_CLASS (klass);

  resolver_class->lookup_by_name = lookup_by_name;
  resolver_class->lookup_by_name_async = lookup_async;
  resolver_class->lookup_by_name_finish = lookup_finish;
  resolver_class->lookup_by_name_with_flags_async = lookup_by_name_with_flags_async;
  resolver_class->lookup_by_name_with_flags_finish = lookup_finish;
  resolver_class->lookup_service_async = lookup_async;
  resolver_class->lookup_service_finish = lookup_finish;
  resolver_class->lookup_records_async = lookup_records_async;
  resolver_class->lookup_records_finish = lookup_finish;
}

static void
test_nxdomain_resolver_init (TestNxdomainResolver *self)
{
}

/* The words on the result page are the ones the main window shows beside
 * the account, with Retry (UX.md rule 3). */
static void
assert_failed_with (HailAccountWizard *wizard,
                    HailEngine        *engine,
                    const char        *address,
                    const char        *expected_start)
{
  g_autoptr(GError) reason = NULL;
  g_autofree char *escaped = NULL;

  g_assert_cmpstr (wizard_test_title (wizard), ==, "Could Not Sign In");
  if (!g_str_has_prefix (wizard_test_text (wizard), expected_start))
    g_error ("the wizard says “%s”, not “%s…”", wizard_test_text (wizard),
             expected_start);
  g_assert_true (gtk_widget_get_visible (WIZ (wizard, "retry_button")));
  g_assert_cmpint (hail_engine_get_account_state (engine, address, &reason), ==,
                   HAIL_ENGINE_ACCOUNT_STATE_FAILED);
  escaped = g_markup_escape_text (reason->message, -1);
  g_assert_cmpstr (escaped, ==, wizard_test_text (wizard));
}

static void
test_dns_name_not_found (void)
{
  g_autoptr(GResolver) previous = g_resolver_get_default ();
  g_autoptr(GResolver) nxdomain_dns = g_object_new (TEST_TYPE_NXDOMAIN_RESOLVER, NULL);
  g_autoptr(HailAccountList) list = wizard_test_new_list ();
  g_autoptr(HailEngine) engine = hail_core_engine_new (list);
  HailAccountWizard *wizard;

  g_resolver_set_default (nxdomain_dns);
  wizard = wizard_test_run (list, engine, "alice@sip.nowhere.example", "secret");
  g_resolver_set_default (previous);
  assert_failed_with (wizard, engine, "sip:alice@sip.nowhere.example",
                      "DNS name not found: sip.nowhere.example does not exist. Check the "
                      "spelling of the server in the SIP address.");
  wizard_test_finish (wizard);
}

static void
test_forbidden (void)
{
  g_autoptr(TestSipPeer) registrar = test_sip_peer_new (0);
  g_autoptr(HailAccountList) list = wizard_test_new_list ();
  g_autoptr(HailEngine) engine = hail_core_engine_new (list);
  g_autofree char *address = NULL;
  g_autofree char *expected = NULL;
  HailAccountWizard *wizard;

  registrar->register_status = 403;
  address = test_sip_peer_uri (registrar, "alice");
  wizard = wizard_test_run (list, engine, address, "secret");
  expected = g_strdup_printf ("Forbidden: 127.0.0.1:%u refused this account.", registrar->port);
  assert_failed_with (wizard, engine, address, expected);
  g_assert_cmpuint (registrar->n_registers, >=, 1);
  wizard_test_finish (wizard);
}

/* In a child process whose session bus address leads nowhere (main sets
 * it there before GTK, which connects to the bus as it starts): libsecret
 * then finds no Secret Service, as on a desktop without a keyring. */
static gboolean
run_without_keyring (void)
{
  if (g_test_subprocess ())
    return TRUE;
  g_test_trap_subprocess (NULL, 60 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_test_trap_assert_passed ();
  return FALSE;
}

/* The server accepts the account, the keyring is missing: the wizard says
 * so in Hail's words, stores the password nowhere else, and keeps it in
 * the field for Retry. */
static void
test_no_keyring_in_wizard (void)
{
  g_autoptr(TestSipPeer) registrar = NULL;
  g_autoptr(HailAccountList) list = NULL;
  g_autoptr(HailEngine) engine = NULL;
  g_autofree char *address = NULL;
  HailAccountWizard *wizard;

  if (!run_without_keyring ())
    return;
  registrar = test_sip_peer_new (0);
  list = wizard_test_new_list ();
  engine = hail_core_engine_new (list);
  address = test_sip_peer_uri (registrar, "alice");
  wizard = wizard_test_run (list, engine, address, "typed-pw-7");
  g_assert_cmpstr (wizard_test_title (wizard), ==, "Password Not Saved");
  g_assert_true (g_str_has_prefix (wizard_test_text (wizard),
                                   "The account works, but no keyring service is running. "
                                   "Hail keeps passwords only in the keyring, never in a "
                                   "plain file."));
  g_assert_true (gtk_widget_get_visible (WIZ (wizard, "retry_button")));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (WIZ (wizard, "password_row"))), ==,
                   "typed-pw-7");
  wizard_test_finish (wizard);
}

static gboolean
is_failed (gpointer engine)
{
  return hail_engine_get_account_state (engine, "sip:alice@127.0.0.1", NULL) ==
         HAIL_ENGINE_ACCOUNT_STATE_FAILED;
}

/* At start-up the password is read from the keyring: its absence is the
 * reason shown beside the account, not a wrong-password prompt. */
static void
test_no_keyring_at_start (void)
{
  g_autoptr(HailAccountList) list = NULL;
  g_autoptr(HailEngine) engine = NULL;
  g_autoptr(HailAccountConfig) config = NULL;
  g_autoptr(GError) reason = NULL;

  if (!run_without_keyring ())
    return;
  list = wizard_test_new_list ();
  config = hail_account_config_new ("sip:alice@127.0.0.1");
  hail_account_list_save (list, config);
  engine = hail_core_engine_new (list);
  hail_core_engine_start (HAIL_CORE_ENGINE (engine));
  g_assert_true (hail_test_wait_until (is_failed, engine, WAIT_MS));
  hail_engine_get_account_state (engine, "sip:alice@127.0.0.1", &reason);
  g_assert_cmpstr (reason->message, ==,
                   "No keyring service is running, and Hail keeps passwords only there. "
                   "Start GNOME Keyring (or another Secret Service), then choose Retry.");
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *tmp = NULL;

  /* The only child processes are run_without_keyring's. */
  for (int i = 1; i < argc; i++)
    if (g_strcmp0 (argv[i], "--GTestSubprocess") == 0)
      g_setenv ("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/hail-test-bus", TRUE);
  tmp = g_dir_make_tmp ("hail-test-wizard-failures-XXXXXX", NULL);
  g_assert_nonnull (tmp);
  g_setenv ("XDG_DATA_HOME", tmp, TRUE);
  if (!app_test_init (&argc, &argv))
    return 0;

  g_test_add_func ("/app/wizard-failure/dns-name-not-found", test_dns_name_not_found);
  g_test_add_func ("/app/wizard-failure/forbidden", test_forbidden);
  g_test_add_func ("/app/wizard-failure/no-keyring", test_no_keyring_in_wizard);
  g_test_add_func ("/app/keyring/missing-at-start", test_no_keyring_at_start);

  return g_test_run ();
}
