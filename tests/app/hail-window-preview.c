/* hail-window-preview.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Shows the call window with a test call (Bob calling while a call with
 * Carol is active over a poor link), so the AT-SPI test can walk it and take its
 * screenshot before core provides real calls. Runs until closed.
 */
#include "config.h"

#include "hail-call-window.h"
#include "test-call.h"

#include <adwaita.h>

static void
activate_cb (GtkApplication *app)
{
  g_autoptr(TestCall) active = test_call_new ("preview-1", "sip:carol@example.test",
                                              "Carol Jones", HAIL_CALL_VIEW_STATE_ACTIVE);
  g_autoptr(TestCall) waiting = test_call_new ("preview-2", "sip:bob@example.test",
                                               "Bob Builder", HAIL_CALL_VIEW_STATE_INCOMING);
  /* A link at its delay cap: the window warns of a poor connection. */
  HailCallQuality poor = {
    .codec = HAIL_MEDIA_CODEC_OPUS, .rate = 48000, .delay_ms = 300, .delay_max_ms = 300,
    .received = 4150, .lost = 12, .late = 40,
  };
  HailCallWindow *window;

  test_call_set_quality (active, &poor);
  active->duration = 83;
  active->input_level = 0.6;
  active->output_level = 0.4;
  window = hail_call_window_new (HAIL_CALL_VIEW (active), NULL);
  hail_call_window_add_call (window, HAIL_CALL_VIEW (waiting));
  gtk_window_set_application (GTK_WINDOW (window), app);
  gtk_window_present (GTK_WINDOW (window));
}

int
main (int   argc,
      char *argv[])
{
  /* Hail's resource path, so its style.css applies as in the app. */
  g_autoptr(GApplication) app = g_object_new (ADW_TYPE_APPLICATION,
                                              "application-id", APP_ID ".Preview",
                                              "flags", G_APPLICATION_NON_UNIQUE,
                                              "resource-base-path", RESOURCE_PREFIX,
                                              NULL);

  g_signal_connect (app, "activate", G_CALLBACK (activate_cb), NULL);
  return g_application_run (app, argc, argv);
}
