/* hail-test-util.h
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* Iterates the default main context until @cond returns TRUE or @timeout_ms
 * passes; returns the last value of @cond. Every wait in a test is bounded. */
gboolean  hail_test_wait_until (GSourceFunc cond,
                                gpointer    data,
                                guint       timeout_ms);

/* Reads a file from the source tree below tests/ (G_TEST_SRCDIR). */
GBytes   *hail_test_load_data  (const char *relpath);

/* Lists the regular files of a directory below tests/, sorted by name. */
GPtrArray *hail_test_list_dir  (const char *reldir);

/* Whether a Secret Service (org.freedesktop.secrets) answers on the
 * session bus; tests that need one skip without it. */
gboolean  hail_test_secret_service_running (void);

G_END_DECLS
