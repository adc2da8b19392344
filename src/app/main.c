/* main.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "hail-application.h"

#include <glib/gi18n.h>

#include <locale.h>

int
main (int   argc,
      char *argv[])
{
  g_autoptr(HailApplication) app = NULL;

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
  /* The name the sound server shows for the call's streams (PulseAudio's
   * application.name), and other desktop services for the app; the
   * default would be the binary's name, "hail". */
  g_set_application_name ("Hail");

  app = hail_application_new ();
  return g_application_run (G_APPLICATION (app), argc, argv);
}
