import { describe, expect, it } from 'vitest';
import {
  allocatorBlockBytes,
  allocatorSegmentBytes,
  CachingAllocatorModel,
} from '../../../../core/memory/caching-allocator';

const MiB = 1024 * 1024;

// PyTorch c10/cuda/CUDACachingAllocator.cpp: kMinBlockSize 512, kSmallSize 1 MiB, kSmallBuffer
// 2 MiB, kLargeBuffer 20 MiB, kMinLargeAlloc 10 MiB, kRoundLarge 2 MiB; round_size,
// get_allocation_size, get_free_block (best fit), should_split, try_merge_blocks.
describe('PyTorch caching allocator model', () => {
  it('rounds every request up to 512 bytes (round_size)', () => {
    expect(allocatorBlockBytes(1)).toBe(512);
    expect(allocatorBlockBytes(513)).toBe(1024);
    expect(allocatorBlockBytes(67_125_248)).toBe(67_125_248);
  });

  it('reserves a 20 MiB segment under 10 MiB, else the size rounded to 2 MiB (get_allocation_size)', () => {
    expect(allocatorSegmentBytes(8 * MiB)).toBe(20 * MiB);
    expect(allocatorSegmentBytes(10 * MiB)).toBe(10 * MiB);
    expect(allocatorSegmentBytes(33 * MiB)).toBe(34 * MiB);
  });

  it('packs two 8 MiB tensors (Llama-3.1-8B k_proj and v_proj) into one 20 MiB segment', () => {
    const allocator = new CachingAllocatorModel();
    allocator.allocate(8 * MiB);
    allocator.allocate(8 * MiB);
    expect(allocator.reservedBytes).toBe(20 * MiB);
    allocator.allocate(8 * MiB);
    expect(allocator.reservedBytes).toBe(40 * MiB);
  });

  it('reuses a freed block for a request of the same or smaller size, splitting off the rest', () => {
    const allocator = new CachingAllocatorModel();
    const big = allocator.allocate(100 * MiB);
    allocator.release(big);
    allocator.allocate(60 * MiB);
    allocator.allocate(40 * MiB);
    expect(allocator.reservedBytes).toBe(100 * MiB);
    expect(allocator.peakAllocatedBytes).toBe(100 * MiB);
  });

  it('cannot reuse a freed block for a request 2 KB larger: a decode step’s grown KV copy takes a new segment', () => {
    // transformers' DynamicLayer.update concatenates one token onto 64 MiB of keys (Llama-3.1-8B
    // at 32k context): 64 MiB + 2 KiB is requested while the old 64 MiB block is freed after.
    const allocator = new CachingAllocatorModel();
    const keys = allocator.allocate(64 * MiB);
    allocator.allocate(64 * MiB + 2048); // segment rounded up to 66 MiB
    allocator.release(keys);
    allocator.allocate(64 * MiB + 4096); // the free 64 MiB block is too small: another 66 MiB
    expect(allocator.reservedBytes).toBe((64 + 66 + 66) * MiB);
    expect(allocator.allocatedBytes).toBe(2 * 64 * MiB + 2048 + 4096);
  });

  it('merges freed neighbours of a segment so a larger request fits again (try_merge_blocks)', () => {
    const allocator = new CachingAllocatorModel();
    const whole = allocator.allocate(64 * MiB);
    allocator.release(whole);
    const a = allocator.allocate(32 * MiB);
    const b = allocator.allocate(32 * MiB);
    allocator.release(a);
    allocator.release(b);
    allocator.allocate(64 * MiB);
    expect(allocator.reservedBytes).toBe(64 * MiB);
  });

  it('takes the smallest free block that fits (best fit), keeping the larger one whole', () => {
    const allocator = new CachingAllocatorModel();
    const small = allocator.allocate(40 * MiB);
    const large = allocator.allocate(100 * MiB);
    allocator.release(small);
    allocator.release(large);
    allocator.allocate(30 * MiB);
    allocator.allocate(100 * MiB);
    expect(allocator.reservedBytes).toBe(140 * MiB);
  });

  it('leaves requests of 1 MiB and less to the small pool (not counted here)', () => {
    const allocator = new CachingAllocatorModel();
    expect(allocator.allocate(MiB)).toBeNull();
    expect(allocator.reservedBytes).toBe(0);
  });
});
