import type { AuditSource } from '@signtrail/core';
import type { MemoryProcess } from '@signtrail/core/testing';
import type { Story, StoryOptions } from '@signtrail/sandbox';

/** One story as a process of the memory vendor: one record per story event, the vendor code kept. */
export function memoryProcessOf(story: Story): MemoryProcess;
/** The memory adapter over `stories` (all in memory). */
export function storySource(stories: readonly Story[]): AuditSource;
/** The memory adapter over `storyStream(options)`, generated again on every walk: bounded memory. */
export function lazyStorySource(options: StoryOptions): AuditSource;
/** `source` with a pause before every process it yields. */
export function slowSource(source: AuditSource, delayMs: number): AuditSource;
