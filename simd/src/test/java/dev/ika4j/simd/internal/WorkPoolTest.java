/*
 * Copyright 2026 the ika4j authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.ika4j.simd.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;

class WorkPoolTest {
    @Test
    void everyTaskRunsOnceAndEveryScratchIsReleased() {
        for (int threads : new int[] {1, 2, 4}) {
            try (WorkPool pool = new WorkPool(threads)) {
                for (int tasks : new int[] {0, 1, 2, 5, 100, 1000}) {
                    AtomicIntegerArray runs = new AtomicIntegerArray(Math.max(tasks, 1));
                    AtomicInteger made = new AtomicInteger(), released = new AtomicInteger();
                    ConcurrentHashMap<Thread, Boolean> threadsSeen = new ConcurrentHashMap<>();
                    pool.run(tasks, () -> {
                        made.incrementAndGet();
                        return new Object();
                    }, (s, t) -> {
                        runs.incrementAndGet(t);
                        threadsSeen.put(Thread.currentThread(), true);
                    }, s -> released.incrementAndGet());
                    for (int t = 0; t < tasks; t++) assertEquals(1, runs.get(t), "task " + t);
                    assertTrue(made.get() <= threads, made + " scratch objects for " + threads + " threads");
                    assertEquals(made.get(), released.get());
                    assertTrue(threadsSeen.size() <= threads);
                }
            }
        }
    }

    @Test
    void aFailingTaskFailsTheCallAndThePoolStaysUsable() {
        try (WorkPool pool = new WorkPool(3)) {
            IllegalArgumentException boom = new IllegalArgumentException("boom");
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> pool.run(50, Object::new, (s, t) -> {
                if (t == 17) throw boom;
            }));
            assertSame(boom, e);
            AtomicInteger n = new AtomicInteger();
            pool.run(10, Object::new, (s, t) -> n.incrementAndGet());
            assertEquals(10, n.get());
        }
    }

    @Test
    void aClosedPoolRefusesWork() {
        WorkPool pool = new WorkPool(2);
        pool.close();
        assertThrows(IllegalStateException.class, () -> pool.run(3, Object::new, (s, t) -> {}));
    }

    @Test
    void scratchPoolKeepsAtMostItsCapacity() {
        ScratchPool<int[]> p = new ScratchPool<>(2);
        int[] a = p.take(() -> new int[1]), b = p.take(() -> new int[1]), c = p.take(() -> new int[1]);
        p.give(a);
        p.give(b);
        p.give(c);
        int[] x = p.take(() -> new int[2]), y = p.take(() -> new int[2]), z = p.take(() -> new int[2]);
        assertEquals(1, x.length);
        assertEquals(1, y.length);
        assertEquals(2, z.length);
    }
}
