/* test-core-engine.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * HailCoreEngine over real sockets on loopback: the account check names
 * the cause of a failure in words with the server, an account switched off
 * is not signed in, and the enabled flag survives GSettings. The Kamailio
 * and keyring cases are in test-wizard-e2e.py.
 */
#include "config.h"

#include "hail-account-list.h"
#include "hail-core-engine.h"
#include "hail-test-util.h"

#include <gio/gio.h>

/* Generous: a failing check must finish in about a second (T1 = 20 ms). */
#define WAIT_MS 30000

typedef struct {
  GAsyncResult *result;
  GPtrArray *changed;            /* addresses from "account-state-changed" */
} Fixture;

static void
fixture_clear (Fixture *f)
{
  g_clear_object (&f->result);
  g_clear_pointer (&f->changed, g_ptr_array_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Fixture, fixture_clear)

static void
done_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  Fixture *f = user_data;

  f->result = g_object_ref (result);
}

static gboolean
has_result (gpointer user_data)
{
  return ((Fixture *) user_data)->result != NULL;
}

static void
changed_cb (HailEngine *engine,
            const char *address,
            Fixture    *f)
{
  g_ptr_array_add (f->changed, g_strdup (address));
}

/* A loopback port where nothing listens: bound by the kernel, then freed. */
static guint16
closed_tcp_port (void)
{
  g_autoptr(GSocket) socket = NULL;
  g_autoptr(GInetAddress) lo = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) any = g_inet_socket_address_new (lo, 0);
  g_autoptr(GSocketAddress) bound = NULL;

  socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, NULL);
  g_assert_nonnull (socket);
  g_assert_true (g_socket_bind (socket, any, FALSE, NULL));
  bound = g_socket_get_local_address (socket, NULL);
  return g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
}

static HailAccountList *
new_list (void)
{
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);

  g_settings_reset (settings, "accounts");
  return hail_account_list_new (settings);
}

static void
check (HailEngine        *engine,
       HailAccountConfig *config,
       Fixture           *f)
{
  g_clear_object (&f->result);
  hail_engine_check_account_async (engine, config, "secret", NULL, done_cb, f);
  g_assert_true (hail_test_wait_until (has_result, f, WAIT_MS));
}

static void
test_check_refused (void)
{
  g_auto(Fixture) f = { NULL, g_ptr_array_new_with_free_func (g_free) };
  g_autoptr(HailAccountList) list = new_list ();
  g_autoptr(HailEngine) engine = hail_core_engine_new (list);
  guint16 port = closed_tcp_port ();
  g_autofree char *address = g_strdup_printf ("sip:alice@127.0.0.1:%u;transport=tcp", port);
  g_autofree char *expected = g_strdup_printf ("Nothing is answering at 127.0.0.1:%u.", port);
  g_autoptr(HailAccountConfig) config = hail_account_config_new (address);
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) reason = NULL;

  g_signal_connect (engine, "account-state-changed", G_CALLBACK (changed_cb), &f);
  check (engine, config, &f);
  g_assert_false (hail_engine_check_account_finish (engine, f.result, &error));
  g_assert_error (error, HAIL_ENGINE_ERROR, HAIL_ENGINE_ERROR_FAILED);
  g_assert_true (g_str_has_prefix (error->message, expected));
  /* The main window reads the same words, and was told to. */
  g_assert_cmpint (hail_engine_get_account_state (engine, address, &reason), ==,
                   HAIL_ENGINE_ACCOUNT_STATE_FAILED);
  g_assert_cmpstr (reason->message, ==, error->message);
  g_assert_cmpuint (f.changed->len, >=, 1);
  g_assert_cmpstr (g_ptr_array_index (f.changed, f.changed->len - 1), ==, address);
}

static void
test_check_timeout (void)
{
  g_auto(Fixture) f = { NULL, g_ptr_array_new_with_free_func (g_free) };
  g_autoptr(HailAccountList) list = new_list ();
  g_autoptr(HailEngine) engine = NULL;
  g_autoptr(GSocket) silent = NULL;
  g_autoptr(GInetAddress) lo = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) any = g_inet_socket_address_new (lo, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(HailAccountConfig) config = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *address = NULL;
  g_autofree char *expected = NULL;
  guint16 port;

  /* A bound UDP socket that never reads: requests vanish, no ICMP comes. */
  silent = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_DATAGRAM, G_SOCKET_PROTOCOL_UDP,
                         NULL);
  g_assert_true (g_socket_bind (silent, any, FALSE, NULL));
  bound = g_socket_get_local_address (silent, NULL);
  port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
  address = g_strdup_printf ("sip:alice@127.0.0.1:%u", port);
  config = hail_account_config_new (address);
  hail_account_config_set_transport (config, "udp");

  g_setenv ("HAIL_SIP_T1_MS", "20", TRUE);
  engine = hail_core_engine_new (list);
  g_unsetenv ("HAIL_SIP_T1_MS");
  check (engine, config, &f);
  g_assert_false (hail_engine_check_account_finish (engine, f.result, &error));
  g_assert_error (error, HAIL_ENGINE_ERROR, HAIL_ENGINE_ERROR_FAILED);
  /* 64 × T1 = 1.28 s, said in whole seconds. */
  expected = g_strdup_printf ("No answer from 127.0.0.1:%u within 1 s.", port);
  g_assert_true (g_str_has_prefix (error->message, expected));
}

static void
test_disabled_not_started (void)
{
  g_auto(Fixture) f = { NULL, g_ptr_array_new_with_free_func (g_free) };
  g_autoptr(HailAccountList) list = new_list ();
  g_autoptr(HailEngine) engine = hail_core_engine_new (list);
  g_autoptr(HailAccountConfig) config = hail_account_config_new ("sip:alice@127.0.0.1");
  g_autoptr(GError) reason = NULL;

  hail_account_config_set_enabled (config, FALSE);
  hail_account_list_save (list, config);
  /* Before start nothing is tried: the window comes first. */
  g_assert_cmpint (hail_engine_get_account_state (engine, "sip:alice@127.0.0.1", NULL), ==,
                   HAIL_ENGINE_ACCOUNT_STATE_REGISTERING);
  hail_core_engine_start (HAIL_CORE_ENGINE (engine));
  g_assert_cmpint (hail_engine_get_account_state (engine, "sip:alice@127.0.0.1", &reason), ==,
                   HAIL_ENGINE_ACCOUNT_STATE_OFFLINE);
  g_assert_true (g_str_has_prefix (reason->message, "Turned off"));
  /* Shutting down with nothing registered completes without waiting. */
  hail_engine_shutdown_async (engine, done_cb, &f);
  g_assert_true (hail_test_wait_until (has_result, &f, WAIT_MS));
  hail_engine_shutdown_finish (engine, f.result);
}

/* Calling is off, and says why, until an account is online. */
static void
test_call_needs_online (void)
{
  g_autoptr(HailAccountList) list = new_list ();
  g_autoptr(HailEngine) engine = hail_core_engine_new (list);
  g_autoptr(HailAccountConfig) config = hail_account_config_new ("sip:alice@127.0.0.1");
  g_autoptr(HailCallView) call = NULL;
  g_autoptr(GError) error = NULL;

  hail_account_config_set_enabled (config, FALSE);
  hail_account_list_save (list, config);
  hail_core_engine_start (HAIL_CORE_ENGINE (engine));
  g_assert_false (hail_core_engine_can_call (HAIL_CORE_ENGINE (engine)));
  call = hail_engine_start_call (engine, "sip:alice@127.0.0.1", "sip:bob@127.0.0.1", &error);
  g_assert_null (call);
  g_assert_error (error, HAIL_ENGINE_ERROR, HAIL_ENGINE_ERROR_NO_ACCOUNT);
  g_assert_cmpstr (error->message, ==,
                   "The account is not online: see its state in the main window.");
  g_clear_error (&error);
  call = hail_engine_start_call (engine, NULL, "sip:bob@127.0.0.1", &error);
  g_assert_null (call);
  g_assert_error (error, HAIL_ENGINE_ERROR, HAIL_ENGINE_ERROR_NO_ACCOUNT);
}

static void
test_enabled_round_trip (void)
{
  g_autoptr(HailAccountConfig) config = hail_account_config_new ("sip:alice@example.test");
  g_autoptr(HailAccountConfig) back = NULL;
  g_autoptr(GVariant) v = NULL;
  gboolean enabled;

  /* Only the exception is written, so older settings read as enabled. */
  v = g_variant_ref_sink (hail_account_config_to_variant (config));
  g_assert_false (g_variant_lookup (v, "enabled", "b", &enabled));
  g_clear_pointer (&v, g_variant_unref);

  hail_account_config_set_enabled (config, FALSE);
  v = g_variant_ref_sink (hail_account_config_to_variant (config));
  back = hail_account_config_new_from_variant (v);
  g_assert_false (hail_account_config_get_enabled (back));
}

static void
test_login (void)
{
  g_autoptr(HailAccountConfig) config = hail_account_config_new ("sip:alice@example.test");
  g_autofree char *plain = hail_account_config_dup_login (config);
  g_autofree char *auth = NULL;

  g_assert_cmpstr (plain, ==, "alice");
  hail_account_config_set_auth_user (config, "a1234");
  auth = hail_account_config_dup_login (config);
  g_assert_cmpstr (auth, ==, "a1234");
}

static void
test_ca_file_round_trip (void)
{
  g_autoptr(HailAccountConfig) config = hail_account_config_new ("sips:alice@example.test");
  g_autoptr(HailAccountConfig) back = NULL;
  g_autoptr(GVariant) v = NULL;

  hail_account_config_set_ca_file (config, "/etc/hail/provider-ca.pem");
  v = g_variant_ref_sink (hail_account_config_to_variant (config));
  back = hail_account_config_new_from_variant (v);
  g_assert_cmpstr (hail_account_config_get_ca_file (back), ==, "/etc/hail/provider-ca.pem");
  /* An emptied field means the system's authorities only. */
  hail_account_config_set_ca_file (back, "");
  g_assert_null (hail_account_config_get_ca_file (back));
}

static void
test_msrp_relay_round_trip (void)
{
  g_autoptr(HailAccountConfig) config = hail_account_config_new ("sip:alice@example.test");
  g_autoptr(HailAccountConfig) back = NULL;
  g_autoptr(GVariant) v = NULL;

  hail_account_config_set_msrp_relay (config, "msrps://relay.example.test:2855;tcp");
  v = g_variant_ref_sink (hail_account_config_to_variant (config));
  back = hail_account_config_new_from_variant (v);
  g_assert_cmpstr (hail_account_config_get_msrp_relay (back), ==,
                   "msrps://relay.example.test:2855;tcp");
  /* Emptied: direct message sessions, and nothing stored. */
  hail_account_config_set_msrp_relay (back, "");
  g_assert_null (hail_account_config_get_msrp_relay (back));
  g_clear_pointer (&v, g_variant_unref);
  v = g_variant_ref_sink (hail_account_config_to_variant (back));
  g_assert_false (g_variant_lookup (v, "msrp-relay", "&s", NULL));
}

/* A CA file that cannot be read is named before any connection. */
static void
test_check_bad_ca_file (void)
{
  g_auto(Fixture) f = { NULL, g_ptr_array_new_with_free_func (g_free) };
  g_autoptr(HailAccountList) list = new_list ();
  g_autoptr(HailEngine) engine = hail_core_engine_new (list);
  g_autoptr(HailAccountConfig) config = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *address = g_strdup_printf ("sip:alice@127.0.0.1:%u;transport=tls",
                                              closed_tcp_port ());

  config = hail_account_config_new (address);
  hail_account_config_set_ca_file (config, "/nonexistent/hail-ca.pem");
  check (engine, config, &f);
  g_assert_false (hail_engine_check_account_finish (engine, f.result, &error));
  g_assert_error (error, HAIL_ENGINE_ERROR, HAIL_ENGINE_ERROR_FAILED);
  g_assert_true (g_str_has_prefix (error->message, "The certificate authority file "
                                   "/nonexistent/hail-ca.pem cannot be used: "));
  g_assert_true (g_str_has_suffix (error->message, "Choose a PEM file under Advanced."));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/app/core-engine/check-refused", test_check_refused);
  g_test_add_func ("/app/core-engine/check-timeout", test_check_timeout);
  g_test_add_func ("/app/core-engine/disabled-not-started", test_disabled_not_started);
  g_test_add_func ("/app/core-engine/call-needs-online", test_call_needs_online);
  g_test_add_func ("/app/account-config/enabled-round-trip", test_enabled_round_trip);
  g_test_add_func ("/app/account-config/login", test_login);
  g_test_add_func ("/app/account-config/ca-file-round-trip", test_ca_file_round_trip);
  g_test_add_func ("/app/core-engine/check-bad-ca-file", test_check_bad_ca_file);
  g_test_add_func ("/app/account-config/msrp-relay-round-trip", test_msrp_relay_round_trip);

  return g_test_run ();
}
