/* media-test-relay.h
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A UDP relay on 127.0.0.1 for the media tests and benchmarks: what is
 * sent to it goes on to a port, every Nth packet held back a while, as a
 * jittery network does. It runs on the global default main context.
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef struct _MediaTestRelay MediaTestRelay;

MediaTestRelay *media_test_relay_new          (guint16         to_port,
                                               guint           hold_every,
                                               guint           hold_ms,
                                               guint           max_held);
guint16         media_test_relay_get_port     (MediaTestRelay *relay);
guint           media_test_relay_get_held     (MediaTestRelay *relay);
guint           media_test_relay_get_released (MediaTestRelay *relay);
guint           media_test_relay_get_max_held (MediaTestRelay *relay);
void            media_test_relay_free         (MediaTestRelay *relay);

G_END_DECLS
