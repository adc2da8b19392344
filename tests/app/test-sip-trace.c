/* test-sip-trace.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * HailSipTrace over a real HailAccount registering with a password at a
 * raw UDP registrar on 127.0.0.1 that challenges first.
 */
#include "config.h"

#include "hail-sip-trace.h"
#include "hail-test-util.h"

#include "../core/test-sip-peer.h"

#include <string.h>

#define PASSWORD "tr4ce-s3cret"

typedef struct {
  TestSipPeer *peer;
  HailAccount *account;
  GPtrArray *raw;                /* char *: every message as sent or received */
  gboolean done;
  gboolean ok;
} Fixture;

static void
raw_cb (HailAccount *account,
        gboolean     outgoing,
        const char  *transport,
        const char  *peer,
        GBytes      *bytes,
        gpointer     user_data)
{
  Fixture *f = user_data;
  gsize len;
  const char *data = g_bytes_get_data (bytes, &len);

  g_ptr_array_add (f->raw, g_strndup (data, len));
}

static void
fixture_set_up (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) sockets = NULL;
  g_autofree char *aor = NULL;

  f->peer = test_sip_peer_new (0);
  f->peer->realm = g_strdup ("trace.test");
  aor = test_sip_peer_uri (f->peer, "alice");
  f->account = hail_account_new (aor, &error);
  g_assert_no_error (error);
  hail_account_set_password (f->account, PASSWORD);
  sockets = hail_account_start (f->account, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (sockets);
  f->raw = g_ptr_array_new_with_free_func (g_free);
  g_signal_connect (f->account, "sip-message", G_CALLBACK (raw_cb), f);
}

static void
fixture_tear_down (Fixture *f)
{
  g_clear_object (&f->account);
  g_clear_pointer (&f->peer, test_sip_peer_free);
  g_clear_pointer (&f->raw, g_ptr_array_unref);
}

static void
register_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  Fixture *f = user_data;
  g_autoptr(GError) error = NULL;

  f->ok = hail_account_register_finish (HAIL_ACCOUNT (source), result, &error);
  g_assert_no_error (error);
  f->done = TRUE;
}

static gboolean
done_cond (gpointer user_data)
{
  return ((Fixture *) user_data)->done;
}

static void
register_and_wait (Fixture *f)
{
  f->done = FALSE;
  hail_account_register_async (f->account, NULL, register_cb, f);
  g_assert_true (hail_test_wait_until (done_cond, f, 30000));
  g_assert_true (f->ok);
}

/* The digest response of the authorized REGISTER, from the raw bytes. */
static char *
raw_digest_response (Fixture *f)
{
  for (guint i = 0; i < f->raw->len; i++)
    {
      const char *at = strstr (g_ptr_array_index (f->raw, i), "response=\"");

      if (at != NULL)
        {
          at += strlen ("response=\"");
          return g_strndup (at, strcspn (at, "\""));
        }
    }
  return NULL;
}

static guint
find_first_line (GListModel *model,
                 guint       from,
                 gboolean    outgoing,
                 const char *prefix)
{
  for (guint i = from; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(HailSipTraceEntry) entry = g_list_model_get_item (model, i);

      if (hail_sip_trace_entry_get_outgoing (entry) == outgoing &&
          g_str_has_prefix (hail_sip_trace_entry_get_first_line (entry), prefix))
        return i;
    }
  return G_MAXUINT;
}

static void
test_register_redacted (void)
{
  Fixture f = { NULL, };
  g_autoptr(HailSipTrace) trace = hail_sip_trace_new (HAIL_SIP_TRACE_MAX_ENTRIES);
  GListModel *model = G_LIST_MODEL (trace);
  g_autofree char *response = NULL;
  g_autofree char *all = NULL;
  g_autofree char *aor = NULL;
  guint first, challenge, authorized, ok;

  fixture_set_up (&f);
  hail_sip_trace_watch (trace, f.account);
  hail_sip_trace_set_enabled (trace, TRUE);
  register_and_wait (&f);

  first = find_first_line (model, 0, TRUE, "REGISTER sip:");
  challenge = find_first_line (model, first, FALSE, "SIP/2.0 401");
  authorized = find_first_line (model, challenge, TRUE, "REGISTER sip:");
  ok = find_first_line (model, authorized, FALSE, "SIP/2.0 200");
  g_assert_cmpuint (first, <, challenge);
  g_assert_cmpuint (challenge, <, authorized);
  g_assert_cmpuint (authorized, <, ok);
  g_assert_cmpuint (ok, <, g_list_model_get_n_items (model));

  /* The raw authorized REGISTER carried a response; no entry does. */
  response = raw_digest_response (&f);
  g_assert_nonnull (response);
  g_assert_cmpuint (strlen (response), ==, 32);
  aor = test_sip_peer_uri (f.peer, "alice");
  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(HailSipTraceEntry) entry = g_list_model_get_item (model, i);
      const char *text = hail_sip_trace_entry_get_text (entry);

      g_assert_null (strstr (text, PASSWORD));
      g_assert_null (strstr (text, response));
      g_assert_cmpstr (hail_sip_trace_entry_get_transport (entry), ==, "UDP");
      g_assert_cmpstr (hail_sip_trace_entry_get_account (entry), ==, aor);
      g_assert_nonnull (strstr (hail_sip_trace_entry_get_remote (entry), "127.0.0.1"));
    }
  {
    g_autoptr(HailSipTraceEntry) entry = g_list_model_get_item (model, authorized);

    /* Kept: the scheme and username, so the trace still shows who signed in. */
    g_assert_nonnull (strstr (hail_sip_trace_entry_get_text (entry), "Authorization: Digest"));
    g_assert_nonnull (strstr (hail_sip_trace_entry_get_text (entry), "username=\"alice\""));
  }
  all = hail_sip_trace_dup_text (trace);
  g_assert_null (strstr (all, PASSWORD));
  g_assert_null (strstr (all, response));
  g_assert_nonnull (strstr (all, "SIP/2.0 401"));

  fixture_tear_down (&f);
}

static void
test_off_records_nothing (void)
{
  Fixture f = { NULL, };
  g_autoptr(HailSipTrace) trace = hail_sip_trace_new (HAIL_SIP_TRACE_MAX_ENTRIES);

  fixture_set_up (&f);
  hail_sip_trace_watch (trace, f.account);
  g_assert_false (hail_sip_trace_get_enabled (trace));
  register_and_wait (&f);

  /* The exchange happened: two REGISTERs and their answers. */
  g_assert_cmpuint (f.peer->n_registers, ==, 2);
  g_assert_cmpuint (f.raw->len, ==, 4);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (trace)), ==, 0);

  fixture_tear_down (&f);
}

static void
test_unwatch_stops (void)
{
  Fixture f = { NULL, };
  g_autoptr(HailSipTrace) trace = hail_sip_trace_new (HAIL_SIP_TRACE_MAX_ENTRIES);

  fixture_set_up (&f);
  hail_sip_trace_set_enabled (trace, TRUE);
  hail_sip_trace_watch (trace, f.account);
  hail_sip_trace_unwatch (trace, f.account);
  register_and_wait (&f);

  g_assert_cmpuint (f.raw->len, ==, 4);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (trace)), ==, 0);

  fixture_tear_down (&f);
}

static void
count_changes_cb (GListModel *model,
                  guint       position,
                  guint       removed,
                  guint       added,
                  gpointer    user_data)
{
  gint *balance = user_data;

  *balance += (gint) added - (gint) removed;
}

/* The oldest go first once the bound is reached, and the views hear it. */
static void
test_bound (void)
{
  g_autoptr(HailSipTrace) trace = hail_sip_trace_new (HAIL_SIP_TRACE_MAX_ENTRIES);
  GListModel *model = G_LIST_MODEL (trace);
  g_autoptr(HailSipTraceEntry) oldest = NULL;
  g_autoptr(HailSipTraceEntry) newest = NULL;
  g_autofree char *expected_oldest = NULL;
  g_autofree char *expected_newest = NULL;
  const guint n = HAIL_SIP_TRACE_MAX_ENTRIES + 37;
  gint balance = 0;

  hail_sip_trace_set_enabled (trace, TRUE);
  g_signal_connect (trace, "items-changed", G_CALLBACK (count_changes_cb), &balance);
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *msg = g_strdup_printf ("OPTIONS sip:%u@example.org SIP/2.0\r\n\r\n", i);

      hail_sip_trace_add (trace, "sip:alice@example.org", TRUE, "UDP", "192.0.2.1:5060",
                          msg, strlen (msg));
    }
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, HAIL_SIP_TRACE_MAX_ENTRIES);
  g_assert_cmpint (balance, ==, HAIL_SIP_TRACE_MAX_ENTRIES);
  oldest = g_list_model_get_item (model, 0);
  newest = g_list_model_get_item (model, HAIL_SIP_TRACE_MAX_ENTRIES - 1);
  expected_oldest = g_strdup_printf ("OPTIONS sip:%u@example.org SIP/2.0",
                                     n - HAIL_SIP_TRACE_MAX_ENTRIES);
  expected_newest = g_strdup_printf ("OPTIONS sip:%u@example.org SIP/2.0", n - 1);
  g_assert_cmpstr (hail_sip_trace_entry_get_first_line (oldest), ==, expected_oldest);
  g_assert_cmpstr (hail_sip_trace_entry_get_first_line (newest), ==, expected_newest);
  g_assert_null (g_list_model_get_item (model, HAIL_SIP_TRACE_MAX_ENTRIES));

  hail_sip_trace_clear (trace);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 0);
  g_assert_cmpint (balance, ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/app/sip-trace/register-redacted", test_register_redacted);
  g_test_add_func ("/app/sip-trace/off-records-nothing", test_off_records_nothing);
  g_test_add_func ("/app/sip-trace/unwatch-stops", test_unwatch_stops);
  g_test_add_func ("/app/sip-trace/bound", test_bound);

  return g_test_run ();
}
