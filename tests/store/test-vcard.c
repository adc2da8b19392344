/* test-vcard.c: the vCard reader (white-box) and the contact import.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "hail-store.h"
#include "hail-store-private.h"

#include "hail-test-util.h"
#include "store-test-helpers.h"

#include <glib/gstdio.h>
#include <sys/stat.h>

static GPtrArray *
parse_ok (const char *text,
          gssize      len)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *cards = _hail_store_vcard_parse (text, len < 0 ? strlen (text) : (gsize) len,
                                              &error);

  g_assert_no_error (error);
  g_assert_nonnull (cards);
  return cards;
}

static void
assert_strings (GPtrArray          *values,
                const char * const *expected)
{
  guint n = g_strv_length ((char **) expected);

  g_assert_cmpuint (values->len, ==, n);
  for (guint i = 0; i < n; i++)
    g_assert_cmpstr (values->pdata[i], ==, expected[i]);
}

static void
test_parse_versions (void)
{
  g_autoptr(GBytes) file = hail_test_load_data ("data/store/contacts.vcf");
  g_autoptr(GPtrArray) cards = parse_ok (g_bytes_get_data (file, NULL), g_bytes_get_size (file));
  HailStoreVcard *bob;
  HailStoreVcard *carol;
  HailStoreVcard *dave;
  HailStoreVcard *erin;

  g_assert_cmpuint (cards->len, ==, 4);
  bob = cards->pdata[0];
  carol = cards->pdata[1];
  dave = cards->pdata[2];
  erin = cards->pdata[3];

  /* 3.0: escaped comma, grouped TEL, bare X-SIP, folded base64 PHOTO. */
  g_assert_cmpstr (bob->name, ==, "Bob Example, Jr.");
  assert_strings (bob->sip, (const char *[]) { "sip:bob@example.test", NULL });
  assert_strings (bob->tel, (const char *[]) { "+1 555 0100", "+1 555 0199", NULL });
  g_assert_nonnull (bob->photo);
  g_assert_cmpuint (g_bytes_get_size (bob->photo), ==, 69);
  g_assert_cmpstr (bob->photo_ext, ==, "png");

  /* 4.0: folded FN, IMPP and URL (sip only), tel: URI, data: URI PHOTO. */
  g_assert_cmpstr (carol->name, ==, "Carol Folded-Name");
  assert_strings (carol->sip, (const char *[]) { "sip:carol@example.test",
                                                 "sips:carol@secure.example.test", NULL });
  assert_strings (carol->tel, (const char *[]) { "+1-555-0101", NULL });
  g_assert_true (g_bytes_equal (carol->photo, bob->photo));

  /* No FN: the name comes from N (given, then family). */
  g_assert_cmpstr (dave->name, ==, "Dave Dunn");
  assert_strings (dave->sip, (const char *[]) { "sip:dave@example.test", NULL });

  /* Web URLs and a remote PHOTO are ignored, never fetched. */
  g_assert_cmpstr (erin->name, ==, "Erin Web");
  g_assert_cmpuint (erin->sip->len, ==, 0);
  g_assert_null (erin->photo);
  g_assert_null (erin->photo_path);
}

static void
test_parse_lf_and_escapes (void)
{
  const char *text =
    "BEGIN:VCARD\nVERSION:4.0\nFN:Semi\\;colon \\\\ back\\nline\nTEL:  555  \n"
    "PHOTO:file:///nonexistent/avatar.png\nEND:VCARD\n"
    "BEGIN:VCARD\nVERSION:3.0\nEND:VCARD\n";
  g_autoptr(GPtrArray) cards = parse_ok (text, -1);
  HailStoreVcard *card;

  /* The second card has no name and no address: skipped. */
  g_assert_cmpuint (cards->len, ==, 1);
  card = cards->pdata[0];
  g_assert_cmpstr (card->name, ==, "Semi;colon \\ back\nline");
  assert_strings (card->tel, (const char *[]) { "555", NULL });
  g_assert_cmpstr (card->photo_path, ==, "/nonexistent/avatar.png");
}

static void
test_parse_rejects_malformed (void)
{
  const char *bad[] = {
    "BEGIN:VCARD\nFN:no end\n",
    "FN:outside a card\n",
    "BEGIN:VCARD\nBEGIN:VCARD\nEND:VCARD\nEND:VCARD\n",
    "BEGIN:VCARD\nno colon here\nEND:VCARD\n",
    "BEGIN:VCARD\nFN:bad \xc3\x28 utf-8\nEND:VCARD\n",
  };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GPtrArray) cards = _hail_store_vcard_parse (bad[i], strlen (bad[i]), &error);

      g_assert_null (cards);
      g_assert_error (error, HAIL_STORE_ERROR, HAIL_STORE_ERROR_INVALID);
    }
}

static void
test_parse_bounds (void)
{
  g_autoptr(GString) many = g_string_new ("BEGIN:VCARD\nFN:Many\n");
  g_autoptr(GString) long_line = g_string_new ("BEGIN:VCARD\nFN:");
  g_autoptr(GString) values = g_string_new ("BEGIN:VCARD\nFN:Values\n");
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) cards = NULL;

  for (guint i = 0; i <= HAIL_STORE_MAX_VCARD_PROPS; i++)
    g_string_append (many, "NOTE:x\n");
  g_string_append (many, "END:VCARD\n");
  cards = _hail_store_vcard_parse (many->str, many->len, &error);
  g_assert_null (cards);
  g_assert_error (error, HAIL_STORE_ERROR, HAIL_STORE_ERROR_INVALID);
  g_clear_error (&error);

  /* One logical line built from folds, longer than the bound. */
  for (guint i = 0; i <= HAIL_STORE_MAX_VCARD_LINE / 60; i++)
    g_string_append (long_line, "\n 0123456789abcdef0123456789abcdef0123456789abcdef0123456789ab");
  g_string_append (long_line, "\nEND:VCARD\n");
  cards = _hail_store_vcard_parse (long_line->str, long_line->len, &error);
  g_assert_null (cards);
  g_assert_error (error, HAIL_STORE_ERROR, HAIL_STORE_ERROR_INVALID);
  g_clear_error (&error);

  /* Too many numbers are cut at the bound, not refused. */
  for (guint i = 0; i < HAIL_STORE_MAX_VCARD_VALUES + 10; i++)
    g_string_append_printf (values, "TEL:+1 555 %04u\n", i);
  g_string_append (values, "END:VCARD\n");
  cards = parse_ok (values->str, values->len);
  g_assert_cmpuint (((HailStoreVcard *) cards->pdata[0])->tel->len, ==,
                    HAIL_STORE_MAX_VCARD_VALUES);
}

static void
test_parse_photo_not_image (void)
{
  const char *text =
    "BEGIN:VCARD\nFN:Script\nPHOTO:data:image/png;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==\n"
    "END:VCARD\n";
  g_autoptr(GPtrArray) cards = parse_ok (text, -1);

  g_assert_null (((HailStoreVcard *) cards->pdata[0])->photo);
}

/* Random damage to a valid file: a clean result or INVALID, never a crash
 * (ASan and UBSan watch the CI run). */
static void
test_parse_mutations (void)
{
  g_autoptr(GBytes) file = hail_test_load_data ("data/store/contacts.vcf");
  gsize len = g_bytes_get_size (file);
  const char *special = ":;\\\r\n \t\",=.";

  for (guint round = 0; round < 2000; round++)
    {
      g_autofree char *copy = g_memdup2 (g_bytes_get_data (file, NULL), len);
      gsize cut = g_test_rand_int_range (0, len + 1);
      g_autoptr(GError) error = NULL;
      g_autoptr(GPtrArray) cards = NULL;

      for (guint i = 0; i < 8; i++)
        copy[g_test_rand_int_range (0, len)] = special[g_test_rand_int_range (0,
                                                                               strlen (special))];
      cards = _hail_store_vcard_parse (copy, cut, &error);
      g_assert_true ((cards != NULL) != (error != NULL));
      if (error != NULL)
        g_assert_error (error, HAIL_STORE_ERROR, HAIL_STORE_ERROR_INVALID);
    }
}

/* Import through the store. */

typedef struct {
  char      *dir;
  char      *path;
  HailStore *store;
} Fixture;

static void
fixture_setup (Fixture       *fx,
               gconstpointer  data)
{
  fx->dir = store_test_make_dir ();
  fx->path = g_build_filename (fx->dir, "hail.db", NULL);
  fx->store = store_test_open (fx->path);
}

static void
fixture_teardown (Fixture       *fx,
                  gconstpointer  data)
{
  store_test_close (g_steal_pointer (&fx->store));
  store_test_rmdir (fx->dir);
  g_free (fx->path);
  g_free (fx->dir);
}

static gboolean
import (Fixture     *fx,
        const char  *path,
        guint       *n_imported,
        GError     **error)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GAsyncResult) result = NULL;

  hail_store_import_vcard_async (fx->store, file, NULL, store_test_result_cb, &result);
  return hail_store_import_vcard_finish (fx->store, store_test_wait (&result), n_imported, error);
}

static GListModel *
list_contacts (Fixture *fx)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  GListModel *contacts;

  hail_store_list_contacts_async (fx->store, NULL, store_test_result_cb, &result);
  contacts = hail_store_list_contacts_finish (fx->store, store_test_wait (&result), &error);
  g_assert_no_error (error);
  return contacts;
}

static void
test_import (Fixture       *fx,
             gconstpointer  data)
{
  g_autofree char *vcf = g_test_build_filename (G_TEST_DIST, "data", "store", "contacts.vcf",
                                                NULL);
  g_autoptr(GListModel) contacts = NULL;
  g_autoptr(HailStoreContact) bob = NULL;
  g_autoptr(HailStoreContact) erin = NULL;
  g_autoptr(GBytes) avatar = NULL;
  g_autoptr(GError) error = NULL;
  const char * const *sip;
  const char * const *tel;
  guint n = 0;

  g_assert_true (import (fx, vcf, &n, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n, ==, 4);

  contacts = list_contacts (fx);
  g_assert_cmpuint (g_list_model_get_n_items (contacts), ==, 4);
  bob = g_list_model_get_item (contacts, 0);
  g_assert_cmpstr (hail_store_contact_get_name (bob), ==, "Bob Example, Jr.");
  sip = hail_store_contact_get_sip_addresses (bob);
  tel = hail_store_contact_get_phone_numbers (bob);
  g_assert_cmpstr (sip[0], ==, "sip:bob@example.test");
  g_assert_null (sip[1]);
  g_assert_cmpstr (tel[0], ==, "+1 555 0100");
  g_assert_cmpstr (tel[1], ==, "+1 555 0199");
  g_assert_null (tel[2]);

  /* The inline photo became a file the store owns, beside the database. */
  g_assert_true (g_str_has_prefix (hail_store_contact_get_avatar_path (bob), fx->path));
  g_assert_true (g_str_has_suffix (hail_store_contact_get_avatar_path (bob), ".png"));
  {
    char *contents = NULL;
    gsize len = 0;

    g_assert_true (g_file_get_contents (hail_store_contact_get_avatar_path (bob), &contents,
                                        &len, NULL));
    avatar = g_bytes_new_take (contents, len);
  }
  g_assert_cmpuint (g_bytes_get_size (avatar), ==, 69);

  erin = g_list_model_get_item (contacts, 3);
  g_assert_cmpstr (hail_store_contact_get_name (erin), ==, "Erin Web");
  g_assert_null (hail_store_contact_get_sip_addresses (erin)[0]);
  g_assert_null (hail_store_contact_get_avatar_path (erin));
}

static HailStoreContact *
find_contact (Fixture     *fx,
              const char  *address,
              GError     **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  hail_store_find_contact_async (fx->store, address, NULL, store_test_result_cb, &result);
  return hail_store_find_contact_finish (fx->store, store_test_wait (&result), error);
}

static void
test_find_by_address (Fixture       *fx,
                      gconstpointer  data)
{
  g_autofree char *vcf = g_test_build_filename (G_TEST_DIST, "data", "store", "contacts.vcf",
                                                NULL);
  g_autoptr(HailStoreContact) by_sip = NULL;
  g_autoptr(HailStoreContact) by_phone = NULL;
  g_autoptr(HailStoreContact) nobody = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (import (fx, vcf, NULL, NULL));
  by_sip = find_contact (fx, "sips:carol@secure.example.test", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (hail_store_contact_get_name (by_sip), ==, "Carol Folded-Name");
  /* All the contact's addresses come with it, not only the one matched. */
  g_assert_cmpstr (hail_store_contact_get_sip_addresses (by_sip)[0], ==,
                   "sip:carol@example.test");
  g_assert_cmpstr (hail_store_contact_get_phone_numbers (by_sip)[0], ==, "+1-555-0101");

  by_phone = find_contact (fx, "+1 555 0199", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (hail_store_contact_get_name (by_phone), ==, "Bob Example, Jr.");

  nobody = find_contact (fx, "sip:nobody@example.test", &error);
  g_assert_null (nobody);
  g_assert_error (error, HAIL_STORE_ERROR, HAIL_STORE_ERROR_NOT_FOUND);
}

static void
test_import_twice_merges (Fixture       *fx,
                          gconstpointer  data)
{
  g_autofree char *vcf = g_test_build_filename (G_TEST_DIST, "data", "store", "contacts.vcf",
                                                NULL);
  g_autoptr(GListModel) contacts = NULL;
  g_autoptr(HailStoreContact) bob = NULL;
  g_autofree char *addresses = NULL;

  g_assert_true (import (fx, vcf, NULL, NULL));
  g_assert_true (import (fx, vcf, NULL, NULL));
  contacts = list_contacts (fx);
  g_assert_cmpuint (g_list_model_get_n_items (contacts), ==, 4);
  bob = g_list_model_get_item (contacts, 0);
  g_assert_cmpuint (g_strv_length ((char **) hail_store_contact_get_phone_numbers (bob)), ==, 2);
  addresses = store_test_sql (fx->path, "SELECT count(*) FROM contact_addresses");
  g_assert_cmpstr (addresses, ==, "7");
}

static void
test_import_file_photo (Fixture       *fx,
                        gconstpointer  data)
{
  g_autoptr(GBytes) vcf_bytes = hail_test_load_data ("data/store/contacts.vcf");
  g_autofree char *png = g_build_filename (fx->dir, "source.png", NULL);
  g_autofree char *fifo = g_build_filename (fx->dir, "fifo.png", NULL);
  g_autofree char *vcf = g_build_filename (fx->dir, "file-photo.vcf", NULL);
  g_autofree char *png_uri = g_filename_to_uri (png, NULL, NULL);
  g_autofree char *fifo_uri = g_filename_to_uri (fifo, NULL, NULL);
  g_autofree char *text = NULL;
  g_autoptr(GListModel) contacts = NULL;
  g_autoptr(HailStoreContact) first = NULL;
  g_autoptr(HailStoreContact) second = NULL;
  g_autoptr(GError) error = NULL;
  const guint8 png_bytes[] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0 };

  g_assert_true (g_file_set_contents (png, (const char *) png_bytes, sizeof png_bytes, NULL));
  g_assert_cmpint (mkfifo (fifo, 0600), ==, 0);
  text = g_strdup_printf ("BEGIN:VCARD\nFN:A File\nPHOTO:%s\nEND:VCARD\n"
                          "BEGIN:VCARD\nFN:B Fifo\nPHOTO:%s\nEND:VCARD\n", png_uri, fifo_uri);
  g_assert_true (g_file_set_contents (vcf, text, -1, NULL));

  /* A FIFO must not block the import: it is skipped, not opened. */
  g_assert_true (import (fx, vcf, NULL, &error));
  g_assert_no_error (error);
  contacts = list_contacts (fx);
  first = g_list_model_get_item (contacts, 0);
  second = g_list_model_get_item (contacts, 1);
  g_assert_nonnull (hail_store_contact_get_avatar_path (first));
  g_assert_cmpstr (hail_store_contact_get_avatar_path (first), !=, png);
  g_assert_null (hail_store_contact_get_avatar_path (second));
  (void) vcf_bytes;
}

static void
test_import_invalid_changes_nothing (Fixture       *fx,
                                     gconstpointer  data)
{
  g_autofree char *vcf = g_build_filename (fx->dir, "bad.vcf", NULL);
  g_autoptr(GListModel) contacts = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (g_file_set_contents (vcf, "BEGIN:VCARD\nFN:Good\nEND:VCARD\n"
                                      "BEGIN:VCARD\nFN:Cut off\n", -1, NULL));
  g_assert_false (import (fx, vcf, NULL, &error));
  g_assert_error (error, HAIL_STORE_ERROR, HAIL_STORE_ERROR_INVALID);
  g_clear_error (&error);

  g_assert_false (import (fx, fx->dir, NULL, &error));
  g_assert_error (error, HAIL_STORE_ERROR, HAIL_STORE_ERROR_INVALID);
  g_clear_error (&error);

  contacts = list_contacts (fx);
  g_assert_cmpuint (g_list_model_get_n_items (contacts), ==, 0);
}

static void
test_import_sync_and_delete (Fixture       *fx,
                             gconstpointer  data)
{
  g_autofree char *vcf = g_test_build_filename (G_TEST_DIST, "data", "store", "contacts.vcf",
                                                NULL);
  g_autoptr(GFile) file = g_file_new_for_path (vcf);
  g_autoptr(GListModel) contacts = NULL;
  g_autoptr(GListModel) after = NULL;
  g_autoptr(HailStoreContact) bob = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  guint n = 0;

  g_assert_true (hail_store_import_vcard_sync (fx->store, file, &n, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n, ==, 4);
  contacts = hail_store_list_contacts_sync (fx->store, &error);
  g_assert_no_error (error);
  bob = g_list_model_get_item (contacts, 0);

  hail_store_delete_contact_async (fx->store, hail_store_contact_get_id (bob), NULL,
                                   store_test_result_cb, &result);
  g_assert_true (hail_store_update_finish (fx->store, store_test_wait (&result), &error));
  g_clear_object (&result);
  after = list_contacts (fx);
  g_assert_cmpuint (g_list_model_get_n_items (after), ==, 3);

  hail_store_delete_contact_async (fx->store, hail_store_contact_get_id (bob), NULL,
                                   store_test_result_cb, &result);
  g_assert_false (hail_store_update_finish (fx->store, store_test_wait (&result), &error));
  g_assert_error (error, HAIL_STORE_ERROR, HAIL_STORE_ERROR_NOT_FOUND);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/store/vcard/parse-versions", test_parse_versions);
  g_test_add_func ("/store/vcard/parse-lf-and-escapes", test_parse_lf_and_escapes);
  g_test_add_func ("/store/vcard/rejects-malformed", test_parse_rejects_malformed);
  g_test_add_func ("/store/vcard/bounds", test_parse_bounds);
  g_test_add_func ("/store/vcard/photo-not-image", test_parse_photo_not_image);
  g_test_add_func ("/store/vcard/mutations", test_parse_mutations);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)

  ADD ("/store/contact/import", test_import);
  ADD ("/store/contact/import-twice-merges", test_import_twice_merges);
  ADD ("/store/contact/find-by-address", test_find_by_address);
  ADD ("/store/contact/import-file-photo", test_import_file_photo);
  ADD ("/store/contact/import-invalid-changes-nothing", test_import_invalid_changes_nothing);
  ADD ("/store/contact/import-sync-and-delete", test_import_sync_and_delete);

  return g_test_run ();
}
