/* replay-main.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Runs every file of the given directories (or the given files) through a
 * fuzz target's LLVMFuzzerTestOneInput once, so builds without libFuzzer
 * still check that no seed crashes, over-reads (ASan) or leaks.
 */
#include <glib.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

static guint
replay_path (const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  gsize len = 0;
  guint n = 0;

  if (g_file_test (path, G_FILE_TEST_IS_DIR))
    {
      g_autoptr(GDir) dir = g_dir_open (path, 0, &error);
      const char *name;

      if (dir == NULL)
        g_error ("%s", error->message);
      while ((name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *child = g_build_filename (path, name, NULL);
          n += replay_path (child);
        }
      return n;
    }

  if (!g_file_get_contents (path, &contents, &len, &error))
    g_error ("%s", error->message);
  /* Copy into an exact-size buffer so ASan sees any over-read. */
  {
    g_autofree uint8_t *exact = g_memdup2 (contents, len);
    LLVMFuzzerTestOneInput (exact, len);
  }
  return 1;
}

int
main (int   argc,
      char *argv[])
{
  guint n = 0;

  for (int i = 1; i < argc; i++)
    n += replay_path (argv[i]);
  if (n == 0)
    {
      g_printerr ("replay: no inputs\n");
      return 1;
    }
  g_print ("replayed %u inputs\n", n);
  return 0;
}
