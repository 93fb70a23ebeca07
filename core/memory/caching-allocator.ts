import { BYTES_PER_MIB } from '../units/bytes';

/**
 * A model of PyTorch's CUDA caching allocator (c10/cuda/CUDACachingAllocator.cpp), to tell how
 * much device memory a sequence of tensor allocations reserves beyond what is allocated at any
 * moment. The allocator never hands memory back during a run (no empty_cache): a request takes
 * the smallest cached free block that fits (best fit), splitting off the rest; when none fits it
 * reserves a new segment from the driver. Freed blocks merge with free neighbours of their own
 * segment only. So a transient tensor that is freed leaves a hole that a larger later request
 * cannot use, and a long-lived tensor placed into a cached block splits it: the reserved total
 * (torch.cuda.max_memory_reserved) grows past the allocated peak.
 *
 * Only the large pool is modelled: requests of at most 1 MiB go to 2 MiB small segments and
 * cost little. Constants are the allocator's own (CUDACachingAllocator.cpp, torch 2.x).
 */

/** Every size is rounded up to a multiple of 512 bytes (kMinBlockSize). */
const ALLOCATOR_BLOCK_BYTES = 512;
/** Requests up to 1 MiB use the small pool (kSmallSize). */
const ALLOCATOR_SMALL_SIZE_BYTES = 1 * BYTES_PER_MIB;
/** Requests under 10 MiB (kMinLargeAlloc) reserve a 20 MiB segment (kLargeBuffer). */
const ALLOCATOR_MIN_LARGE_ALLOC_BYTES = 10 * BYTES_PER_MIB;
const ALLOCATOR_LARGE_BUFFER_BYTES = 20 * BYTES_PER_MIB;
/** Larger requests reserve a segment rounded up to 2 MiB (kRoundLarge). */
const ALLOCATOR_ROUND_LARGE_BYTES = 2 * BYTES_PER_MIB;

/** The block size a request takes (round_size). */
export function allocatorBlockBytes(requestBytes: number): number {
  return Math.max(1, Math.ceil(requestBytes / ALLOCATOR_BLOCK_BYTES)) * ALLOCATOR_BLOCK_BYTES;
}

/** The segment a request reserves when no cached block fits (get_allocation_size). */
export function allocatorSegmentBytes(blockBytes: number): number {
  if (blockBytes < ALLOCATOR_MIN_LARGE_ALLOC_BYTES) return ALLOCATOR_LARGE_BUFFER_BYTES;
  return Math.ceil(blockBytes / ALLOCATOR_ROUND_LARGE_BYTES) * ALLOCATOR_ROUND_LARGE_BYTES;
}

interface Block {
  readonly segment: number;
  offset: number;
  size: number;
  free: boolean;
  prev: Block | null;
  next: Block | null;
}

/** A handle to an allocated tensor (0 = a small-pool request, not tracked). */
export type AllocationHandle = Block | null;

/** Orders free blocks as the allocator's BlockComparatorSize does: size, then address. */
function before(a: Block, b: Block): boolean {
  if (a.size !== b.size) return a.size < b.size;
  if (a.segment !== b.segment) return a.segment < b.segment;
  return a.offset < b.offset;
}

/** The caching allocator's large pool, replayed over a trace of allocations and frees. */
export class CachingAllocatorModel {
  private readonly freeBlocks: Block[] = [];
  private segments = 0;
  reservedBytes = 0;
  allocatedBytes = 0;
  peakReservedBytes = 0;
  peakAllocatedBytes = 0;

  /**
   * @param baseAllocatedBytes bytes already allocated and reserved in full before the trace
   *   (weights loaded tensor by tensor fill their segments)
   */
  constructor(baseAllocatedBytes = 0) {
    this.reservedBytes = baseAllocatedBytes;
    this.allocatedBytes = baseAllocatedBytes;
    this.peakReservedBytes = baseAllocatedBytes;
    this.peakAllocatedBytes = baseAllocatedBytes;
  }

  private lowerBound(size: number): number {
    let low = 0;
    let high = this.freeBlocks.length;
    while (low < high) {
      const mid = (low + high) >> 1;
      if (this.freeBlocks[mid]!.size < size) low = mid + 1;
      else high = mid;
    }
    return low;
  }

  /** Where `block` sits (or would sit) in the ordered free list. */
  private position(block: Block): number {
    let low = 0;
    let high = this.freeBlocks.length;
    while (low < high) {
      const mid = (low + high) >> 1;
      if (before(this.freeBlocks[mid]!, block)) low = mid + 1;
      else high = mid;
    }
    return low;
  }

  private insertFree(block: Block): void {
    this.freeBlocks.splice(this.position(block), 0, block);
  }

  private removeFree(block: Block): void {
    this.freeBlocks.splice(this.position(block), 1);
  }

  /** Allocates `requestBytes`; returns a handle to free it with. */
  allocate(requestBytes: number): AllocationHandle {
    if (requestBytes <= ALLOCATOR_SMALL_SIZE_BYTES) return null;
    const size = allocatorBlockBytes(requestBytes);
    const index = this.lowerBound(size);
    let block: Block;
    if (index < this.freeBlocks.length) {
      block = this.freeBlocks[index]!;
      this.freeBlocks.splice(index, 1);
    } else {
      const segmentBytes = allocatorSegmentBytes(size);
      block = {
        segment: this.segments++,
        offset: 0,
        size: segmentBytes,
        free: true,
        prev: null,
        next: null,
      };
      this.reservedBytes += segmentBytes;
      this.peakReservedBytes = Math.max(this.peakReservedBytes, this.reservedBytes);
    }
    // should_split: a large-pool remainder is kept as its own block when over 1 MiB.
    const remaining = block.size - size;
    if (remaining > ALLOCATOR_SMALL_SIZE_BYTES) {
      const rest: Block = {
        segment: block.segment,
        offset: block.offset + size,
        size: remaining,
        free: true,
        prev: block,
        next: block.next,
      };
      if (block.next) block.next.prev = rest;
      block.next = rest;
      block.size = size;
      this.insertFree(rest);
    }
    block.free = false;
    this.allocatedBytes += block.size;
    this.peakAllocatedBytes = Math.max(this.peakAllocatedBytes, this.allocatedBytes);
    return block;
  }

  /** Frees an allocation: the block returns to the cache, merged with free neighbours. */
  release(handle: AllocationHandle): void {
    if (!handle) return;
    let block = handle;
    this.allocatedBytes -= block.size;
    block.free = true;
    const prev = block.prev;
    if (prev && prev.free) {
      this.removeFree(prev);
      prev.size += block.size;
      prev.next = block.next;
      if (block.next) block.next.prev = prev;
      block = prev;
    }
    const next = block.next;
    if (next && next.free) {
      this.removeFree(next);
      block.size += next.size;
      block.next = next.next;
      if (next.next) next.next.prev = block;
    }
    this.insertFree(block);
  }
}
