/* test-rfc4475.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Runs every RFC 4475 torture message of tests/data/sip/rfc4475 (and
 * variants/) against the verdict its row in EXPECTED.md gives. The verdict
 * text is read, not copied here: its tags decide what is allowed.
 *  - "APP nnn": parses, and hail_sip_message_check_request() answers one of
 *    the codes named ("APP nnn", "or nnn", "nnn allowed").
 *  - ACCEPT (or "Well-formed"): the datagram parses and exposes the fields.
 *  - REJECT / DROP: a clean parse error, or for a request an answer from the
 *    check function with one of the codes named; a 505 must be a VERSION error.
 *  - LIBERAL: either; if accepted, the writer output is the canonical form.
 * Text naming several tags allows each of them (baddate). A file without a
 * row (or, for a variant, without a row that names it) fails the test.
 */
#include "config.h"

#include <string.h>

#include "hail-sip-error.h"
#include "hail-sip-message-builder.h"
#include "hail-test-util.h"

typedef struct {
  char *file;
  char *verdict;
} Row;

static void
row_free (gpointer data)
{
  Row *row = data;

  g_free (row->file);
  g_free (row->verdict);
  g_free (row);
}

static GPtrArray *
load_rows (void)
{
  g_autoptr(GBytes) md = hail_test_load_data ("data/sip/rfc4475/EXPECTED.md");
  g_autofree char *text = g_strndup (g_bytes_get_data (md, NULL), g_bytes_get_size (md));
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);
  GPtrArray *rows = g_ptr_array_new_with_free_func (row_free);

  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_auto(GStrv) cells = NULL;
      guint n;
      Row *row;

      if (!g_str_has_prefix (lines[i], "| ") || g_str_has_prefix (lines[i], "| file "))
        continue;
      cells = g_strsplit (lines[i], "|", -1);
      n = g_strv_length (cells);
      if (n < 7)
        continue;
      row = g_new0 (Row, 1);
      row->file = g_strstrip (g_strdup (cells[1]));
      /* The verdict is everything after the fourth column. */
      cells[n - 1][0] = '\0';
      row->verdict = g_strjoinv ("|", cells + 5);
      g_ptr_array_add (rows, row);
    }
  return rows;
}

static const char *
find_verdict (GPtrArray  *rows,
              const char *path)
{
  g_autofree char *variant = g_strconcat ("`", path, "`", NULL);

  for (guint i = 0; i < rows->len; i++)
    {
      const Row *row = rows->pdata[i];

      if (g_strcmp0 (row->file, path) == 0)
        return row->verdict;
    }
  /* A variant is described in the row of its original. */
  for (guint i = 0; i < rows->len && strchr (path, '/') != NULL; i++)
    {
      const Row *row = rows->pdata[i];

      if (strstr (row->verdict, variant) != NULL)
        return row->verdict;
    }
  return NULL;
}

/* Collects the status codes a verdict names after "APP ", "REJECT ",
 * "REJECT (", "or " or before " allowed". */
static GArray *
verdict_codes (const char *verdict)
{
  static const char * const prefixes[] = { "APP ", "REJECT ", "REJECT (", "or ", "(" };
  GArray *codes = g_array_new (FALSE, FALSE, sizeof (guint));

  for (gsize i = 0; i < G_N_ELEMENTS (prefixes); i++)
    {
      for (const char *p = strstr (verdict, prefixes[i]); p != NULL;
           p = strstr (p + 1, prefixes[i]))
        {
          const char *d = p + strlen (prefixes[i]);
          guint code;

          if (!g_ascii_isdigit (d[0]) || !g_ascii_isdigit (d[1]) || !g_ascii_isdigit (d[2])
              || g_ascii_isdigit (d[3]))
            continue;
          /* "(400 allowed)" counts, "(with Warning 399)" does not. */
          if (strcmp (prefixes[i], "(") == 0 && !g_str_has_prefix (d + 3, " allowed"))
            continue;
          code = (guint) g_ascii_strtoull (d, NULL, 10);
          if (code >= 400 && code <= 699)
            g_array_append_val (codes, code);
        }
    }
  return codes;
}

static gboolean
has_code (GArray *codes,
          guint   code)
{
  for (guint i = 0; i < codes->len; i++)
    if (g_array_index (codes, guint, i) == code)
      return TRUE;
  return FALSE;
}

/* Walks every accessor, as a user of a parsed message would. */
static void
read_everything (HailSipMessage *msg)
{
  HailSipNameAddr routes[4];
  HailSipNameAddr contact;
  HailSipContentType ctype;
  HailSipVia via;
  guint32 v;
  gsize cl;

  for (guint i = 0; i < hail_sip_message_get_n_vias (msg); i++)
    g_assert_true (hail_sip_message_get_via (msg, i, &via));
  for (guint i = 0; i < hail_sip_message_get_n_contacts (msg); i++)
    {
      g_autoptr(HailSipUri) uri = NULL;
      g_autofree char *name = NULL;

      g_assert_true (hail_sip_message_get_contact (msg, i, &contact));
      uri = hail_sip_name_addr_get_uri (&contact);
      name = hail_sip_name_addr_dup_display_name (&contact, NULL);
      g_assert_true (contact.wildcard || uri != NULL);
    }
  hail_sip_message_get_route_set (msg, HAIL_SIP_HEADER_ROUTE, routes, G_N_ELEMENTS (routes));
  hail_sip_message_get_route_set (msg, HAIL_SIP_HEADER_RECORD_ROUTE, routes,
                                  G_N_ELEMENTS (routes));
  hail_sip_message_get_content_type (msg, &ctype);
  hail_sip_message_get_content_length (msg, &cl);
  hail_sip_message_get_expires (msg, &v);
  hail_sip_message_get_max_forwards (msg);
  for (guint i = 0; i < hail_sip_message_get_n_headers (msg); i++)
    g_assert_true (hail_sip_message_get_header_at (msg, i, NULL, NULL, NULL));
}

/* Parse -> write -> parse keeps the fields. */
static void
assert_round_trip (HailSipMessage *msg)
{
  g_autoptr(HailSipMessageBuilder) builder = hail_sip_message_builder_new_copy (msg);
  g_autoptr(GError) error = NULL;
  g_autoptr(HailSipMessage) again = hail_sip_message_builder_finish (builder, &error);
  const HailSipNameAddr *a, *b;

  g_assert_no_error (error);
  g_assert_cmpint (hail_sip_message_is_request (again), ==, hail_sip_message_is_request (msg));
  g_assert_true (hail_sip_span_equal (hail_sip_message_get_method (again),
                                      hail_sip_message_get_method (msg)));
  g_assert_true (hail_sip_span_equal (hail_sip_message_get_request_uri (again),
                                      hail_sip_message_get_request_uri (msg)));
  g_assert_cmpuint (hail_sip_message_get_status (again), ==, hail_sip_message_get_status (msg));
  g_assert_true (hail_sip_span_equal (hail_sip_message_get_call_id (again),
                                      hail_sip_message_get_call_id (msg)));
  g_assert_cmpuint (hail_sip_message_get_n_vias (again), ==, hail_sip_message_get_n_vias (msg));
  g_assert_cmpuint (hail_sip_message_get_n_contacts (again), ==,
                    hail_sip_message_get_n_contacts (msg));
  g_assert_cmpuint (hail_sip_message_get_n_headers (again) + 1, >=,
                    hail_sip_message_get_n_headers (msg));
  a = hail_sip_message_get_from (msg);
  b = hail_sip_message_get_from (again);
  g_assert_true ((a == NULL) == (b == NULL));
  if (a != NULL)
    g_assert_true (hail_sip_span_equal (a->tag, b->tag) && hail_sip_span_equal (a->uri, b->uri));
  a = hail_sip_message_get_to (msg);
  b = hail_sip_message_get_to (again);
  g_assert_true ((a == NULL) == (b == NULL));
  if (a != NULL)
    g_assert_true (hail_sip_span_equal (a->tag, b->tag) && hail_sip_span_equal (a->uri, b->uri));
  if (hail_sip_message_get_cseq (msg) != NULL)
    g_assert_cmpuint (hail_sip_message_get_cseq (again)->number, ==,
                      hail_sip_message_get_cseq (msg)->number);
  g_assert_true (hail_sip_span_equal (hail_sip_message_get_body (again),
                                      hail_sip_message_get_body (msg)));
}

/* Field checks for the messages whose point is a field. */
static void
check_fields (const char     *name,
              HailSipMessage *msg)
{
  HailSipNameAddr contact;
  HailSipVia via;
  HailSipSpan value;
  g_autoptr(HailSipUri) uri = NULL;
  g_autofree char *text = NULL;
  gsize len = 0;
  guint q = 0;

  if (strcmp (name, "wsinv.dat") == 0)
    {
      text = hail_sip_name_addr_dup_display_name (hail_sip_message_get_from (msg), NULL);
      g_assert_cmpstr (text, ==, "J Rosenberg \\\"");
      g_assert_true (hail_sip_span_equal_str (hail_sip_message_get_to (msg)->tag, "1918181833n"));
      g_assert_cmpuint (hail_sip_message_get_cseq (msg)->number, ==, 9);
      g_assert_cmpint (hail_sip_message_get_max_forwards (msg), ==, 68);
      g_assert_cmpuint (hail_sip_message_get_n_vias (msg), ==, 3);
      g_assert_true (hail_sip_message_get_via (msg, 2, &via));
      g_assert_true (hail_sip_span_equal_str (via.branch, "z9hG4bK30239"));
      g_assert_true (hail_sip_message_get_contact (msg, 0, &contact));
      g_assert_true (hail_sip_name_addr_get_q (&contact, &q));
      g_assert_cmpuint (q, ==, 330);
      g_assert_true (hail_sip_message_get_header (msg, "UnknownHeaderWithUnusualValue", &value));
      g_assert_true (hail_sip_span_equal_str (value, ";;,,;;,;"));
      g_assert_true (hail_sip_message_get_header (msg, "Subject", &value));
      g_assert_cmpuint (value.len, ==, 0);
    }
  else if (strcmp (name, "intmeth.dat") == 0)
    {
      g_assert_true (hail_sip_span_equal_str (hail_sip_message_get_method (msg),
                                              "!interesting-Method0123456789_*+`.%indeed'~"));
      g_assert_cmpuint (hail_sip_message_get_cseq (msg)->number, ==, 139122385);
      text = hail_sip_name_addr_dup_display_name (hail_sip_message_get_to (msg), &len);
      g_assert_cmpmem (text, len, "BEL:\x07 NUL:\0 DEL:\x7f", 17);
      g_assert_true (hail_sip_span_equal_str (hail_sip_message_get_call_id (msg),
                                              "intmeth.word%ZK-!.*_+'@word`~)(><:\\/\"][?}{"));
    }
  else if (strcmp (name, "esc01.dat") == 0)
    {
      g_autoptr(HailSipUri) ruri = hail_sip_uri_new_from_view (
        hail_sip_message_get_request_uri_view (msg));
      g_autofree char *param = NULL;

      g_assert_cmpstr (hail_sip_uri_get_user (ruri, NULL), ==, "sips:user@example.com");
      uri = hail_sip_name_addr_get_uri (hail_sip_message_get_from (msg));
      g_assert_cmpstr (hail_sip_uri_get_user (uri, NULL), ==, "I have spaces");
      g_assert_true (hail_sip_message_get_contact (msg, 0, &contact));
      g_clear_pointer (&uri, hail_sip_uri_unref);
      uri = hail_sip_name_addr_get_uri (&contact);
      param = hail_sip_uri_dup_param (uri, "name", NULL);
      g_assert_cmpstr (param, ==, "value%41");
      g_assert_true (hail_sip_uri_has_param (uri, "lr"));
    }
  else if (strcmp (name, "escnull.dat") == 0)
    {
      g_assert_cmpuint (hail_sip_message_get_n_contacts (msg), ==, 2);
      for (guint i = 0; i < 2; i++)
        {
          g_autoptr(HailSipUri) c = NULL;
          const char *user;

          g_assert_true (hail_sip_message_get_contact (msg, i, &contact));
          c = hail_sip_name_addr_get_uri (&contact);
          user = hail_sip_uri_get_user (c, &len);
          g_assert_cmpuint (len, ==, i + 1);
          g_assert_cmpint (user[0], ==, 0);
        }
    }
  else if (strcmp (name, "esc02.dat") == 0)
    {
      g_assert_true (hail_sip_message_is_method (msg, "RE%47IST%45R"));
      g_assert_cmpuint (hail_sip_message_get_n_contacts (msg), ==, 2);
      g_assert_true (hail_sip_message_get_header (msg, "C%6Fntact", NULL));
      text = hail_sip_name_addr_dup_display_name (hail_sip_message_get_to (msg), NULL);
      g_assert_cmpstr (text, ==, "%Z%45");
    }
  else if (strcmp (name, "lwsdisp.dat") == 0)
    {
      text = hail_sip_name_addr_dup_display_name (hail_sip_message_get_from (msg), NULL);
      g_assert_cmpstr (text, ==, "caller");
    }
  else if (strcmp (name, "longreq.dat") == 0)
    {
      g_assert_cmpuint (hail_sip_message_get_n_vias (msg), ==, 34);
      g_assert_true (hail_sip_message_get_via (msg, 33, &via));
      g_assert_true (hail_sip_span_equal_str (via.received, "192.0.2.5"));
      g_assert_cmpuint (hail_sip_message_get_body (msg).len, ==, 150);
    }
  else if (strcmp (name, "dblreq.dat") == 0)
    {
      g_assert_true (hail_sip_message_is_method (msg, "REGISTER"));
      g_assert_cmpuint (hail_sip_message_get_body (msg).len, ==, 0);
    }
  else if (strcmp (name, "semiuri.dat") == 0)
    {
      HailSipHeaderIter iter;
      guint n = 0;

      uri = hail_sip_uri_new_from_view (hail_sip_message_get_request_uri_view (msg));
      g_assert_cmpstr (hail_sip_uri_get_user (uri, NULL), ==, "user;par=u@example.net");
      g_assert_null (hail_sip_uri_get_params (uri));
      hail_sip_message_iter_init (msg, &iter, "Accept");
      while (hail_sip_header_iter_next (&iter, &value))
        n++;
      g_assert_cmpuint (n, ==, 6);
    }
  else if (strcmp (name, "transports.dat") == 0)
    {
      const char *transports[] = { "UDP", "SCTP", "TLS", "UNKNOWN", "TCP" };

      g_assert_cmpuint (hail_sip_message_get_n_vias (msg), ==, 5);
      for (guint i = 0; i < 5; i++)
        {
          g_assert_true (hail_sip_message_get_via (msg, i, &via));
          g_assert_true (hail_sip_span_equal_str (via.transport, transports[i]));
        }
    }
  else if (strcmp (name, "mpart01.dat") == 0)
    g_assert_cmpuint (hail_sip_message_get_body (msg).len, ==, 553);
  else if (strcmp (name, "unreason.dat") == 0)
    g_assert_true (g_str_has_prefix (hail_sip_message_get_reason (msg).ptr, "= 2**3 * 5**2 "));
  else if (strcmp (name, "noreason.dat") == 0)
    {
      g_assert_cmpuint (hail_sip_message_get_status (msg), ==, 100);
      g_assert_cmpuint (hail_sip_message_get_reason (msg).len, ==, 0);
    }
  else if (strcmp (name, "cparam01.dat") == 0)
    {
      g_assert_true (hail_sip_message_get_contact (msg, 0, &contact));
      g_assert_true (hail_sip_params_lookup (contact.params, "unknownparam", NULL));
      g_assert_false (hail_sip_span_present (contact.uri_view.params));
    }
  else if (strcmp (name, "cparam02.dat") == 0)
    {
      g_assert_true (hail_sip_message_get_contact (msg, 0, &contact));
      g_assert_false (hail_sip_span_present (contact.params));
      g_assert_true (hail_sip_span_equal_str (contact.uri_view.params, "unknownparam"));
    }
  else if (strcmp (name, "regescrt.dat") == 0)
    {
      g_assert_true (hail_sip_message_get_contact (msg, 0, &contact));
      uri = hail_sip_name_addr_get_uri (&contact);
      text = hail_sip_uri_dup_header (uri, "Route", NULL);
      g_assert_cmpstr (text, ==, "<sip:sip.example.com>");
    }
  else if (strcmp (name, "unksm2.dat") == 0)
    {
      g_assert_cmpint (hail_sip_message_get_to (msg)->uri_view.scheme, ==,
                       HAIL_SIP_URI_SCHEME_OTHER);
      g_assert_true (hail_sip_span_equal_str (hail_sip_message_get_to (msg)->uri_view.scheme_name,
                                              "isbn"));
    }
  else if (strcmp (name, "regaut01.dat") == 0)
    {
      g_assert_true (hail_sip_message_get_header (msg, "Authorization", &value));
      g_assert_true (hail_sip_span_equal_str (value, "NoOneKnowsThisScheme opaque-data=here"));
    }
  else if (strcmp (name, "inv2543.dat") == 0)
    {
      g_assert_true (hail_sip_message_get_via (msg, 0, &via));
      g_assert_false (hail_sip_span_present (via.branch));
      g_assert_false (hail_sip_span_present (hail_sip_message_get_from (msg)->tag));
      g_assert_cmpint (hail_sip_message_get_max_forwards (msg), ==, -1);
      g_assert_cmpuint (hail_sip_message_get_body (msg).len, ==, 105);
    }
  else if (strcmp (name, "zeromf.dat") == 0)
    g_assert_cmpint (hail_sip_message_get_max_forwards (msg), ==, 0);
  else if (strcmp (name, "bcast.dat") == 0)
    {
      g_assert_true (hail_sip_message_get_via (msg, 1, &via));
      g_assert_true (hail_sip_span_equal_str (via.host, "255.255.255.255"));
    }
  else if (strcmp (name, "badbranch.dat") == 0)
    {
      g_assert_true (hail_sip_message_get_via (msg, 0, &via));
      g_assert_true (hail_sip_span_equal_str (via.branch, "z9hG4bK"));
    }
}

static void
run_file (const char *relpath,
          const char *verdict)
{
  g_autofree char *data_path = g_strconcat ("data/sip/rfc4475/", relpath, NULL);
  g_autoptr(GBytes) bytes = hail_test_load_data (data_path);
  g_autoptr(GArray) codes = verdict_codes (verdict);
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) stream_error = NULL;
  g_autoptr(GError) check_error = NULL;
  g_autoptr(HailSipMessage) msg = NULL;
  g_autoptr(HailSipMessage) stream_msg = NULL;
  const char *base = strrchr (relpath, '/') != NULL ? strrchr (relpath, '/') + 1 : relpath;
  gboolean app = strstr (verdict, "APP ") != NULL;
  gboolean may_accept = strstr (verdict, "ACCEPT") != NULL || strstr (verdict, "LIBERAL") != NULL
                        || strstr (verdict, "ell-formed") != NULL;
  gboolean may_reject = strstr (verdict, "REJECT") != NULL || strstr (verdict, "DROP") != NULL
                        || strstr (verdict, "LIBERAL") != NULL;
  gboolean checked = FALSE;

  g_test_message ("%s: %s", relpath, verdict);
  g_assert_true (app || may_accept || may_reject);

  /* Stream mode must be clean too; it may only differ by waiting for more
   * or by refusing a missing Content-Length. */
  stream_msg = hail_sip_message_parse (bytes, HAIL_SIP_PARSE_STREAM, NULL, NULL, &stream_error);
  msg = hail_sip_message_parse (bytes, HAIL_SIP_PARSE_DATAGRAM, NULL, NULL, &error);
  g_assert_true ((msg == NULL) != (error == NULL));
  if (msg == NULL)
    {
      g_test_message ("  parse error: %s", error->message);
      g_assert_true (error->domain == HAIL_SIP_ERROR);
      g_assert_cmpint (error->code, !=, HAIL_SIP_ERROR_INCOMPLETE);
      g_assert_cmpstr (error->message, !=, "");
      g_assert_false (app);
      g_assert_true (may_reject);
      if (has_code (codes, 505))
        g_assert_error (error, HAIL_SIP_ERROR, HAIL_SIP_ERROR_VERSION);
      g_assert_null (stream_msg);
      return;
    }

  g_assert_true (stream_msg != NULL || stream_error->code == HAIL_SIP_ERROR_INCOMPLETE
                 || !hail_sip_message_get_content_length (msg, &(gsize) { 0 }));
  read_everything (msg);
  assert_round_trip (msg);
  if (hail_sip_message_is_request (msg))
    {
      checked = !hail_sip_message_check_request (msg, NULL, NULL, &check_error);
      if (checked)
        g_test_message ("  check: %d %s", check_error->code, check_error->message);
    }

  if (app)
    {
      g_assert_true (checked);
      g_assert_true (has_code (codes, (guint) check_error->code));
      return;
    }
  if (!may_accept)
    {
      /* Rejected at application level, with a code the verdict names. */
      g_assert_true (checked);
      g_assert_true (has_code (codes, (guint) check_error->code));
      return;
    }
  if (strstr (verdict, "ACCEPT") == NULL && strstr (verdict, "ell-formed") == NULL)
    {
      /* Accepted only as LIBERAL: what the writer emits is the canonical
       * form, not the received one. */
      g_autoptr(HailSipMessageBuilder) builder = hail_sip_message_builder_new_copy (msg);
      g_autoptr(GBytes) written = hail_sip_message_builder_to_bytes (builder, NULL);

      g_assert_nonnull (written);
      g_assert_false (g_bytes_equal (written, bytes));
    }
  g_assert_nonnull (hail_sip_message_get_from (msg));
  g_assert_nonnull (hail_sip_message_get_to (msg));
  g_assert_nonnull (hail_sip_message_get_cseq (msg));
  g_assert_true (hail_sip_span_present (hail_sip_message_get_call_id (msg)));
  g_assert_cmpuint (hail_sip_message_get_n_vias (msg), >, 0);
  check_fields (base, msg);
}

static void
test_rfc4475_file (gconstpointer data)
{
  g_autoptr(GPtrArray) rows = load_rows ();
  const char *verdict = find_verdict (rows, data);

  if (verdict == NULL)
    {
      g_test_fail_printf ("%s has no verdict in EXPECTED.md", (const char *) data);
      return;
    }
  run_file (data, verdict);
}

static void
test_rfc4475_every_row_has_file (void)
{
  g_autoptr(GPtrArray) rows = load_rows ();
  g_autoptr(GPtrArray) files = hail_test_list_dir ("data/sip/rfc4475");

  g_assert_cmpuint (rows->len, ==, 50);
  for (guint i = 0; i < rows->len; i++)
    {
      Row *row = rows->pdata[i];

      g_assert_true (g_ptr_array_find_with_equal_func (files, row->file, g_str_equal, NULL));
    }
}

static void
add_dir (const char *reldir,
         const char *prefix)
{
  g_autofree char *dir = g_strconcat ("data/sip/rfc4475", reldir, NULL);
  g_autoptr(GPtrArray) names = hail_test_list_dir (dir);

  for (guint i = 0; i < names->len; i++)
    {
      const char *name = names->pdata[i];
      char *rel;
      g_autofree char *path = NULL;

      if (!g_str_has_suffix (name, ".dat"))
        continue;
      rel = g_strconcat (prefix, name, NULL);
      path = g_strconcat ("/sip/rfc4475/", rel, NULL);
      /* rel lives as long as the test program. */
      g_test_add_data_func_full (path, rel, test_rfc4475_file, g_free);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/sip/rfc4475/every-row-has-file", test_rfc4475_every_row_has_file);
  add_dir ("", "");
  add_dir ("/variants", "variants/");
  return g_test_run ();
}
