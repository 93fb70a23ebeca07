;; The quantization lab's scan kernels in WebAssembly SIMD (issue 20). Assembled by the `wabt`
;; npm package (`npm run build:wasm`, electron/services/quantlab/wasm/assemble.ts) into
;; scan-kernels.wasm.ts; a unit test re-assembles this file and checks the two agree.
;;
;; Every kernel reproduces the TypeScript kernels of core/quantlab bit for bit (issue 20:
;; "results byte-identical"): the same IEEE operations in the same precision (wasm has no fused
;; multiply-add and no flush-to-zero; WebAssembly Core Spec 4.3.3), the same tie rule, the same
;; NaN handling (pmax/pmin are the `a < b ? b : a` of the TypeScript loops), and the float64 error
;; sums added element by element in order, because a reordered sum would change the last bits.
;;
;; Pointers are byte offsets into the exported memory. Element-wise kernels may read and write up
;; to 3 elements past `n` (the caller leaves 16 bytes of slack after each region); reductions
;; read exactly `n`.
(module
  (memory (export "memory") 1 2048)

  ;; bf16 → f32: the bf16 bits are the top half of the f32 (ggml_compute_bf16_to_fp32).
  (func (export "decode_bf16") (param $src i32) (param $dst i32) (param $n i32)
    (local $end i32) (local $v v128)
    (local.set $end (i32.add (local.get $src) (i32.shl (local.get $n) (i32.const 1))))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $src) (local.get $end)))
        (local.set $v (v128.load (local.get $src)))
        (v128.store (local.get $dst)
          (i32x4.shl (i32x4.extend_low_i16x8_u (local.get $v)) (i32.const 16)))
        (v128.store offset=16 (local.get $dst)
          (i32x4.shl (i32x4.extend_high_i16x8_u (local.get $v)) (i32.const 16)))
        (local.set $src (i32.add (local.get $src) (i32.const 16)))
        (local.set $dst (i32.add (local.get $dst) (i32.const 32)))
        (br $next))))

  ;; fp16 bits (4 lanes, zero-extended) → f32 bits, exactly as core's fp16 table: exponent and
  ;; mantissa moved into place and rebiased by a multiply by 2^112, which is exact for normals
  ;; and subnormals alike; ±Inf keeps its sign; every NaN becomes 0x7fc00000, the NaN the
  ;; table holds (a JavaScript NaN stored into a Float32Array).
  (func $f16x4 (param $h v128) (result v128)
    (local $sign v128) (local $em v128) (local $r v128)
    (local.set $sign (i32x4.shl (v128.and (local.get $h) (v128.const i32x4 0x8000 0x8000 0x8000 0x8000)) (i32.const 16)))
    (local.set $em (v128.and (local.get $h) (v128.const i32x4 0x7fff 0x7fff 0x7fff 0x7fff)))
    (local.set $r (v128.or (local.get $sign)
      (f32x4.mul (i32x4.shl (local.get $em) (i32.const 13))
                 (v128.const i32x4 0x77800000 0x77800000 0x77800000 0x77800000))))
    (local.set $r (v128.bitselect
      (v128.or (local.get $sign) (v128.const i32x4 0x7f800000 0x7f800000 0x7f800000 0x7f800000))
      (local.get $r)
      (i32x4.eq (local.get $em) (v128.const i32x4 0x7c00 0x7c00 0x7c00 0x7c00))))
    (v128.bitselect
      (v128.const i32x4 0x7fc00000 0x7fc00000 0x7fc00000 0x7fc00000)
      (local.get $r)
      (i32x4.gt_s (local.get $em) (v128.const i32x4 0x7c00 0x7c00 0x7c00 0x7c00))))

  (func (export "decode_f16") (param $src i32) (param $dst i32) (param $n i32)
    (local $end i32) (local $v v128)
    (local.set $end (i32.add (local.get $src) (i32.shl (local.get $n) (i32.const 1))))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $src) (local.get $end)))
        (local.set $v (v128.load (local.get $src)))
        (v128.store (local.get $dst) (call $f16x4 (i32x4.extend_low_i16x8_u (local.get $v))))
        (v128.store offset=16 (local.get $dst) (call $f16x4 (i32x4.extend_high_i16x8_u (local.get $v))))
        (local.set $src (i32.add (local.get $src) (i32.const 16)))
        (local.set $dst (i32.add (local.get $dst) (i32.const 32)))
        (br $next))))

  ;; max |x| and the count of |x| ≥ t over x[0, n) (core/quantlab/scan.ts absmaxAndOutliers;
  ;; t is the least f32 ≥ the float64 threshold, so the f32 compare equals the float64 one).
  (func (export "absmax_outliers") (param $x i32) (param $n i32) (param $t f32) (result f32 i32)
    (local $end i32) (local $vend i32) (local $acc v128) (local $cnt v128) (local $tv v128)
    (local $a v128) (local $m f32) (local $c i32) (local $s f32)
    (local.set $tv (f32x4.splat (local.get $t)))
    (local.set $end (i32.add (local.get $x) (i32.shl (local.get $n) (i32.const 2))))
    (local.set $vend (i32.add (local.get $x) (i32.shl (i32.and (local.get $n) (i32.const -4)) (i32.const 2))))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $x) (local.get $vend)))
        (local.set $a (f32x4.abs (v128.load (local.get $x))))
        (local.set $acc (f32x4.pmax (local.get $acc) (local.get $a)))
        (local.set $cnt (i32x4.sub (local.get $cnt) (f32x4.ge (local.get $a) (local.get $tv))))
        (local.set $x (i32.add (local.get $x) (i32.const 16)))
        (br $next)))
    (local.set $m (f32.max
      (f32.max (f32x4.extract_lane 0 (local.get $acc)) (f32x4.extract_lane 1 (local.get $acc)))
      (f32.max (f32x4.extract_lane 2 (local.get $acc)) (f32x4.extract_lane 3 (local.get $acc)))))
    (local.set $c (i32.add
      (i32.add (i32x4.extract_lane 0 (local.get $cnt)) (i32x4.extract_lane 1 (local.get $cnt)))
      (i32.add (i32x4.extract_lane 2 (local.get $cnt)) (i32x4.extract_lane 3 (local.get $cnt)))))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $x) (local.get $end)))
        (local.set $s (f32.abs (f32.load (local.get $x))))
        (local.set $m (select (local.get $s) (local.get $m) (f32.gt (local.get $s) (local.get $m))))
        (local.set $c (i32.add (local.get $c) (f32.ge (local.get $s) (local.get $t))))
        (local.set $x (i32.add (local.get $x) (i32.const 4)))
        (br $next)))
    (local.get $m) (local.get $c))

  ;; Per block of `bs` values of x[0, n): max |x| (start 0, NaN ignored) into $out (f32 each).
  ;; Two accumulators halve the chain of dependent maxima; the maximum of the |x| that are not
  ;; NaN is the same in any grouping (a NaN is never taken, and abs leaves no −0).
  (func (export "block_absmax") (param $x i32) (param $n i32) (param $bs i32) (param $out i32)
    (local $end i32) (local $bend i32) (local $vend i32) (local $acc v128) (local $acc2 v128) (local $m f32) (local $s f32)
    (local.set $end (i32.add (local.get $x) (i32.shl (local.get $n) (i32.const 2))))
    (block $blocks_done
      (loop $block
        (br_if $blocks_done (i32.ge_u (local.get $x) (local.get $end)))
        (local.set $bend (i32.add (local.get $x) (i32.shl (local.get $bs) (i32.const 2))))
        (if (i32.gt_u (local.get $bend) (local.get $end)) (then (local.set $bend (local.get $end))))
        (local.set $vend (i32.sub (local.get $bend) (i32.and (i32.sub (local.get $bend) (local.get $x)) (i32.const 15))))
        (local.set $acc (v128.const i32x4 0 0 0 0))
        (local.set $acc2 (v128.const i32x4 0 0 0 0))
        (block $done
          (loop $next
            (br_if $done (i32.gt_u (i32.add (local.get $x) (i32.const 32)) (local.get $vend)))
            (local.set $acc (f32x4.pmax (local.get $acc) (f32x4.abs (v128.load (local.get $x)))))
            (local.set $acc2 (f32x4.pmax (local.get $acc2) (f32x4.abs (v128.load offset=16 (local.get $x)))))
            (local.set $x (i32.add (local.get $x) (i32.const 32)))
            (br $next)))
        (if (i32.lt_u (local.get $x) (local.get $vend))
          (then
            (local.set $acc (f32x4.pmax (local.get $acc) (f32x4.abs (v128.load (local.get $x)))))
            (local.set $x (i32.add (local.get $x) (i32.const 16)))))
        (local.set $acc (f32x4.pmax (local.get $acc) (local.get $acc2)))
        (local.set $m (f32.max
          (f32.max (f32x4.extract_lane 0 (local.get $acc)) (f32x4.extract_lane 1 (local.get $acc)))
          (f32.max (f32x4.extract_lane 2 (local.get $acc)) (f32x4.extract_lane 3 (local.get $acc)))))
        (block $done
          (loop $next
            (br_if $done (i32.ge_u (local.get $x) (local.get $bend)))
            (local.set $s (f32.abs (f32.load (local.get $x))))
            (local.set $m (select (local.get $s) (local.get $m) (f32.gt (local.get $s) (local.get $m))))
            (local.set $x (i32.add (local.get $x) (i32.const 4)))
            (br $next)))
        (f32.store (local.get $out) (local.get $m))
        (local.set $out (i32.add (local.get $out) (i32.const 4)))
        (br $block))))

  ;; Per block: min and max of x (start +Inf / −Inf, NaN ignored) into $mins and $maxs. The sign
  ;; of a zero extreme may differ from the sequential loop's; core's linearGroup gives the same
  ;; parameters for −0 and +0 (min(·, 0), max(·, 0), then a subtraction and a rounding).
  (func (export "block_minmax") (param $x i32) (param $n i32) (param $bs i32) (param $mins i32) (param $maxs i32)
    (local $end i32) (local $bend i32) (local $vend i32) (local $lo v128) (local $hi v128) (local $v v128)
    (local $mn f32) (local $mx f32) (local $s f32)
    (local.set $end (i32.add (local.get $x) (i32.shl (local.get $n) (i32.const 2))))
    (block $blocks_done
      (loop $block
        (br_if $blocks_done (i32.ge_u (local.get $x) (local.get $end)))
        (local.set $bend (i32.add (local.get $x) (i32.shl (local.get $bs) (i32.const 2))))
        (if (i32.gt_u (local.get $bend) (local.get $end)) (then (local.set $bend (local.get $end))))
        (local.set $vend (i32.sub (local.get $bend) (i32.and (i32.sub (local.get $bend) (local.get $x)) (i32.const 15))))
        (local.set $lo (f32x4.splat (f32.const inf)))
        (local.set $hi (f32x4.splat (f32.const -inf)))
        (block $done
          (loop $next
            (br_if $done (i32.ge_u (local.get $x) (local.get $vend)))
            (local.set $v (v128.load (local.get $x)))
            (local.set $lo (f32x4.pmin (local.get $lo) (local.get $v)))
            (local.set $hi (f32x4.pmax (local.get $hi) (local.get $v)))
            (local.set $x (i32.add (local.get $x) (i32.const 16)))
            (br $next)))
        (local.set $mn (f32.min
          (f32.min (f32x4.extract_lane 0 (local.get $lo)) (f32x4.extract_lane 1 (local.get $lo)))
          (f32.min (f32x4.extract_lane 2 (local.get $lo)) (f32x4.extract_lane 3 (local.get $lo)))))
        (local.set $mx (f32.max
          (f32.max (f32x4.extract_lane 0 (local.get $hi)) (f32x4.extract_lane 1 (local.get $hi)))
          (f32.max (f32x4.extract_lane 2 (local.get $hi)) (f32x4.extract_lane 3 (local.get $hi)))))
        (block $done
          (loop $next
            (br_if $done (i32.ge_u (local.get $x) (local.get $bend)))
            (local.set $s (f32.load (local.get $x)))
            (local.set $mn (select (local.get $s) (local.get $mn) (f32.lt (local.get $s) (local.get $mn))))
            (local.set $mx (select (local.get $s) (local.get $mx) (f32.gt (local.get $s) (local.get $mx))))
            (local.set $x (i32.add (local.get $x) (i32.const 4)))
            (br $next)))
        (f32.store (local.get $mins) (local.get $mn))
        (f32.store (local.get $maxs) (local.get $mx))
        (local.set $mins (i32.add (local.get $mins) (i32.const 4)))
        (local.set $maxs (i32.add (local.get $maxs) (i32.const 4)))
        (br $block))))

  ;; Linear quantize-dequantize of x[0, n) in blocks of `bs` (the last may be short), block b's
  ;; float64 (inverse, step, zero) at $params + 24·b, into $dq.
  (func (export "linear_dequant") (param $x i32) (param $dq i32) (param $n i32) (param $bs i32)
    (param $params i32) (param $low f64) (param $high f64)
    (local $end i32) (local $bend i32) (local $inv v128) (local $step v128) (local $zero v128)
    (local $lo v128) (local $hi v128) (local $v v128) (local $r v128) (local $d0 v128)
    (local $magic v128)
    (local.set $magic (v128.const f64x2 6755399441055744 6755399441055744))
    (local.set $lo (f64x2.splat (local.get $low)))
    (local.set $hi (f64x2.splat (local.get $high)))
    (local.set $end (i32.add (local.get $x) (i32.shl (local.get $n) (i32.const 2))))
    (block $blocks_done
      (loop $block
        (br_if $blocks_done (i32.ge_u (local.get $x) (local.get $end)))
        (local.set $bend (i32.add (local.get $x) (i32.shl (local.get $bs) (i32.const 2))))
        (if (i32.gt_u (local.get $bend) (local.get $end)) (then (local.set $bend (local.get $end))))
        (local.set $inv (v128.load64_splat (local.get $params)))
        (local.set $step (v128.load64_splat offset=8 (local.get $params)))
        (local.set $zero (v128.load64_splat offset=16 (local.get $params)))
        (block $done
          (loop $next
            (br_if $done (i32.ge_u (local.get $x) (local.get $bend)))
            (local.set $v (v128.load (local.get $x)))
            ;; Two lanes at a time in float64, as core/quantlab/linear.ts quantizeRun computes:
            ;; q = clamp(round(x · inverse) + zero, low, high), x̂ = (q − zero) · step, where the
            ;; rounding adds and subtracts 1.5 · 2^52 as roundHalfEven does (core/quantlab/kernel.ts).
            ;; pmax/pmin keep a NaN as Math.max/min do; the −0 case where they differ cannot
            ;; arise (the rounding never returns −0 and zero ≥ 0), and they are one instruction.
            (local.set $v (v128.load (local.get $x)))
            (local.set $r (f64x2.sub
              (f64x2.add (f64x2.mul (f64x2.promote_low_f32x4 (local.get $v)) (local.get $inv)) (local.get $magic))
              (local.get $magic)))
            (local.set $r (f64x2.pmin (f64x2.pmax (f64x2.add (local.get $r) (local.get $zero)) (local.get $lo)) (local.get $hi)))
            (local.set $d0 (f32x4.demote_f64x2_zero
              (f64x2.mul (f64x2.sub (local.get $r) (local.get $zero)) (local.get $step))))
            (local.set $r (f64x2.sub
              (f64x2.add (f64x2.mul (f64x2.promote_low_f32x4 (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $v) (local.get $v))) (local.get $inv)) (local.get $magic))
              (local.get $magic)))
            (local.set $r (f64x2.pmin (f64x2.pmax (f64x2.add (local.get $r) (local.get $zero)) (local.get $lo)) (local.get $hi)))
            (v128.store (local.get $dq)
              (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23
                (local.get $d0)
                (f32x4.demote_f64x2_zero
                  (f64x2.mul (f64x2.sub (local.get $r) (local.get $zero)) (local.get $step)))))
            (local.set $x (i32.add (local.get $x) (i32.const 16)))
            (local.set $dq (i32.add (local.get $dq) (i32.const 16)))
            (br $next)))
        ;; A short last block ends mid-vector: step back to its end for the next block.
        (local.set $dq (i32.sub (local.get $dq) (i32.sub (local.get $x) (local.get $bend))))
        (local.set $x (local.get $bend))
        (local.set $params (i32.add (local.get $params) (i32.const 24)))
        (br $block))))

  ;; NF4 (bitsandbytes dQuantizeNF4): normalized = f32(x · inverse_b); its code is the number
  ;; of thresholds below it (the decision tree's answer, NaN → 0); x̂ = f32(code value · absmax_b).
  ;; The code is found in two levels of lookup instead of 15 compares and selects: three
  ;; compares with t3, t7, t11 give the group g = floor(code / 4) (every threshold of a lower group
  ;; is below the value, none of a higher one), then the group's three thresholds t4g … t4g+2,
  ;; fetched per lane by i8x16.swizzle from 4-entry tables, give r = code mod 4. The value's
  ;; bits are v4g + Σ (compare mask & (v4g+j+1 − v4g+j)) in 32-bit integers: the masks of
  ;; ascending thresholds are monotone, so the differences telescope to the bits of v4g+r.
  ;; $table (nf4LookupTable in scan-kernels.ts, 128 bytes): t3 t7 t11 at 0, 4, 8; at 16, 32,
  ;; 48 the tables [t0 t4 t8 t12], [t1 t5 t9 t13], [t2 t6 t10 t14]; at 64 [v0 v4 v8 v12] and at
  ;; 80, 96, 112 the differences [v1−v0 v5−v4 …], [v2−v1 …], [v3−v2 …] (f32 bits). Each
  ;; block's inverse and (possibly double-quantized) absmax are f32 at $inverse + 4·b and
  ;; $absmax + 4·b. (Computing absmax and inverse here, block by block while the block is in
  ;; L1, measured no faster than block_absmax and the backend's inverse loop: the division
  ;; stalls each block's lookups.)
  (func (export "nf4_dequant") (param $x i32) (param $dq i32) (param $n i32) (param $bs i32)
    (param $inverse i32) (param $absmax i32) (param $table i32)
    (local $end i32) (local $bend i32) (local $inv v128) (local $used v128)
    (local $ta v128) (local $tb v128) (local $tc v128) (local $l0 v128) (local $l1 v128) (local $l2 v128)
    (local $w0 v128) (local $d1 v128) (local $d2 v128) (local $d3 v128)
    (local $four v128) (local $bytes v128) (local $nrm v128) (local $g v128) (local $val v128)
    (local.set $ta (v128.load32_splat offset=0 (local.get $table)))
    (local.set $tb (v128.load32_splat offset=4 (local.get $table)))
    (local.set $tc (v128.load32_splat offset=8 (local.get $table)))
    (local.set $l0 (v128.load offset=16 (local.get $table)))
    (local.set $l1 (v128.load offset=32 (local.get $table)))
    (local.set $l2 (v128.load offset=48 (local.get $table)))
    (local.set $w0 (v128.load offset=64 (local.get $table)))
    (local.set $d1 (v128.load offset=80 (local.get $table)))
    (local.set $d2 (v128.load offset=96 (local.get $table)))
    (local.set $d3 (v128.load offset=112 (local.get $table)))
    (local.set $four (v128.const i32x4 0x04040404 0x04040404 0x04040404 0x04040404))
    (local.set $bytes (v128.const i32x4 0x03020100 0x03020100 0x03020100 0x03020100))
    (local.set $end (i32.add (local.get $x) (i32.shl (local.get $n) (i32.const 2))))
    (block $blocks_done
      (loop $block
        (br_if $blocks_done (i32.ge_u (local.get $x) (local.get $end)))
        (local.set $bend (i32.add (local.get $x) (i32.shl (local.get $bs) (i32.const 2))))
        (if (i32.gt_u (local.get $bend) (local.get $end)) (then (local.set $bend (local.get $end))))
        (local.set $inv (v128.load32_splat (local.get $inverse)))
        (local.set $used (v128.load32_splat (local.get $absmax)))
        (block $done
          (loop $next
            (br_if $done (i32.ge_u (local.get $x) (local.get $bend)))
            (local.set $nrm (f32x4.mul (v128.load (local.get $x)) (local.get $inv)))
            ;; Byte indices 4g … 4g+3 of each lane's group entry in the 4-entry tables.
            (local.set $g (i32x4.add
              (i32x4.add (local.get $bytes) (v128.and (f32x4.gt (local.get $nrm) (local.get $ta)) (local.get $four)))
              (i32x4.add
                (v128.and (f32x4.gt (local.get $nrm) (local.get $tb)) (local.get $four))
                (v128.and (f32x4.gt (local.get $nrm) (local.get $tc)) (local.get $four)))))
            (local.set $val (i32x4.add
              (i32x4.add
                (i8x16.swizzle (local.get $w0) (local.get $g))
                (v128.and (f32x4.gt (local.get $nrm) (i8x16.swizzle (local.get $l0) (local.get $g)))
                  (i8x16.swizzle (local.get $d1) (local.get $g))))
              (i32x4.add
                (v128.and (f32x4.gt (local.get $nrm) (i8x16.swizzle (local.get $l1) (local.get $g)))
                  (i8x16.swizzle (local.get $d2) (local.get $g)))
                (v128.and (f32x4.gt (local.get $nrm) (i8x16.swizzle (local.get $l2) (local.get $g)))
                  (i8x16.swizzle (local.get $d3) (local.get $g))))))
            (v128.store (local.get $dq) (f32x4.mul (local.get $val) (local.get $used)))
            (local.set $x (i32.add (local.get $x) (i32.const 16)))
            (local.set $dq (i32.add (local.get $dq) (i32.const 16)))
            (br $next)))
        ;; A short last block ends mid-vector: step back to its end for the next block.
        (local.set $dq (i32.sub (local.get $dq) (i32.sub (local.get $x) (local.get $bend))))
        (local.set $x (local.get $bend))
        (local.set $inverse (i32.add (local.get $inverse) (i32.const 4)))
        (local.set $absmax (i32.add (local.get $absmax) (i32.const 4)))
        (br $block))))

  ;; FP4 (bitsandbytes dQuantizeFP4): the rank of |normalized| among the 7 ascending thresholds
  ;; picks a magnitude code, the sign (normalized < 0) picks the positive or negative value.
  ;; $table: 7 f32 thresholds, the 8 positive values by rank, the 8 negative values by rank.
  (func (export "fp4_dequant") (param $x i32) (param $dq i32) (param $n i32) (param $bs i32)
    (param $inverse i32) (param $absmax i32) (param $table i32)
    (local $end i32) (local $bend i32) (local $inv v128) (local $used v128) (local $nrm v128)
    (local $a v128) (local $m v128) (local $pos v128) (local $neg v128)
    (local $t0 v128) (local $t1 v128) (local $t2 v128) (local $t3 v128) (local $t4 v128) (local $t5 v128) (local $t6 v128) (local $p0 v128) (local $p1 v128) (local $p2 v128) (local $p3 v128) (local $p4 v128) (local $p5 v128) (local $p6 v128) (local $p7 v128) (local $n0 v128) (local $n1 v128) (local $n2 v128) (local $n3 v128) (local $n4 v128) (local $n5 v128) (local $n6 v128) (local $n7 v128)
    (local.set $t0 (v128.load32_splat offset=0 (local.get $table)))
    (local.set $t1 (v128.load32_splat offset=4 (local.get $table)))
    (local.set $t2 (v128.load32_splat offset=8 (local.get $table)))
    (local.set $t3 (v128.load32_splat offset=12 (local.get $table)))
    (local.set $t4 (v128.load32_splat offset=16 (local.get $table)))
    (local.set $t5 (v128.load32_splat offset=20 (local.get $table)))
    (local.set $t6 (v128.load32_splat offset=24 (local.get $table)))
    (local.set $p0 (v128.load32_splat offset=28 (local.get $table)))
    (local.set $p1 (v128.load32_splat offset=32 (local.get $table)))
    (local.set $p2 (v128.load32_splat offset=36 (local.get $table)))
    (local.set $p3 (v128.load32_splat offset=40 (local.get $table)))
    (local.set $p4 (v128.load32_splat offset=44 (local.get $table)))
    (local.set $p5 (v128.load32_splat offset=48 (local.get $table)))
    (local.set $p6 (v128.load32_splat offset=52 (local.get $table)))
    (local.set $p7 (v128.load32_splat offset=56 (local.get $table)))
    (local.set $n0 (v128.load32_splat offset=60 (local.get $table)))
    (local.set $n1 (v128.load32_splat offset=64 (local.get $table)))
    (local.set $n2 (v128.load32_splat offset=68 (local.get $table)))
    (local.set $n3 (v128.load32_splat offset=72 (local.get $table)))
    (local.set $n4 (v128.load32_splat offset=76 (local.get $table)))
    (local.set $n5 (v128.load32_splat offset=80 (local.get $table)))
    (local.set $n6 (v128.load32_splat offset=84 (local.get $table)))
    (local.set $n7 (v128.load32_splat offset=88 (local.get $table)))
    (local.set $end (i32.add (local.get $x) (i32.shl (local.get $n) (i32.const 2))))
    (block $blocks_done
      (loop $block
        (br_if $blocks_done (i32.ge_u (local.get $x) (local.get $end)))
        (local.set $bend (i32.add (local.get $x) (i32.shl (local.get $bs) (i32.const 2))))
        (if (i32.gt_u (local.get $bend) (local.get $end)) (then (local.set $bend (local.get $end))))
        (local.set $inv (v128.load32_splat (local.get $inverse)))
        (local.set $used (v128.load32_splat (local.get $absmax)))
        (block $done
          (loop $next
            (br_if $done (i32.ge_u (local.get $x) (local.get $bend)))
            (local.set $nrm (f32x4.mul (v128.load (local.get $x)) (local.get $inv)))
            (local.set $a (f32x4.abs (local.get $nrm)))
            (local.set $pos (local.get $p0))
            (local.set $neg (local.get $n0))
        (local.set $m (f32x4.gt (local.get $a) (local.get $t0)))
        (local.set $pos (v128.bitselect (local.get $p1) (local.get $pos) (local.get $m)))
        (local.set $neg (v128.bitselect (local.get $n1) (local.get $neg) (local.get $m)))
        (local.set $m (f32x4.gt (local.get $a) (local.get $t1)))
        (local.set $pos (v128.bitselect (local.get $p2) (local.get $pos) (local.get $m)))
        (local.set $neg (v128.bitselect (local.get $n2) (local.get $neg) (local.get $m)))
        (local.set $m (f32x4.gt (local.get $a) (local.get $t2)))
        (local.set $pos (v128.bitselect (local.get $p3) (local.get $pos) (local.get $m)))
        (local.set $neg (v128.bitselect (local.get $n3) (local.get $neg) (local.get $m)))
        (local.set $m (f32x4.gt (local.get $a) (local.get $t3)))
        (local.set $pos (v128.bitselect (local.get $p4) (local.get $pos) (local.get $m)))
        (local.set $neg (v128.bitselect (local.get $n4) (local.get $neg) (local.get $m)))
        (local.set $m (f32x4.gt (local.get $a) (local.get $t4)))
        (local.set $pos (v128.bitselect (local.get $p5) (local.get $pos) (local.get $m)))
        (local.set $neg (v128.bitselect (local.get $n5) (local.get $neg) (local.get $m)))
        (local.set $m (f32x4.gt (local.get $a) (local.get $t5)))
        (local.set $pos (v128.bitselect (local.get $p6) (local.get $pos) (local.get $m)))
        (local.set $neg (v128.bitselect (local.get $n6) (local.get $neg) (local.get $m)))
        (local.set $m (f32x4.gt (local.get $a) (local.get $t6)))
        (local.set $pos (v128.bitselect (local.get $p7) (local.get $pos) (local.get $m)))
        (local.set $neg (v128.bitselect (local.get $n7) (local.get $neg) (local.get $m)))
            (v128.store (local.get $dq)
              (f32x4.mul
                (v128.bitselect (local.get $neg) (local.get $pos)
                  (f32x4.lt (local.get $nrm) (v128.const i32x4 0 0 0 0)))
                (local.get $used)))
            (local.set $x (i32.add (local.get $x) (i32.const 16)))
            (local.set $dq (i32.add (local.get $dq) (i32.const 16)))
            (br $next)))
        (local.set $dq (i32.sub (local.get $dq) (i32.sub (local.get $x) (local.get $bend))))
        (local.set $x (local.get $bend))
        (local.set $inverse (i32.add (local.get $inverse) (i32.const 4)))
        (local.set $absmax (i32.add (local.get $absmax) (i32.const 4)))
        (br $block))))

  ;; Absmax in blocks, quantize, dequantize and error sums in one pass (issue 20): what
  ;; block_absmax, linear_dequant and `accumulate` compute, without writing x̂ to memory and
  ;; reading it back, two values at a time in float64 (no shuffles, no lane masks: n is even).
  ;; Each block's inverse = levels / absmax and step = absmax / levels are formed in float64 as
  ;; core/quantlab/linear.ts writeLinearGroup forms them (both 0 for an all-zero block);
  ;; x̂ = f32(roundHalfEven(x · inverse) · step) with no clamp, as quantizeRun (|x| ≤ absmax
  ;; bounds |q| by levels); the error terms and the three float64 sums in index order are those
  ;; of `accumulate`. (Profiled: this loop is bound by instruction throughput, not by the chain
  ;; of dependent additions, so what it saves is the instructions of the separate passes.)
  (func (export "absmax_block_errors") (param $x i32) (param $n i32) (param $bs i32) (param $levels f64)
    (result f64 f64 f64 f64 i32 i32)
    (local $end i32) (local $bend i32) (local $vend i32) (local $p i32)
    (local $acc v128) (local $acc2 v128) (local $m f32) (local $am f64)
    (local $inv v128) (local $step v128) (local $magic v128)
    (local $v v128) (local $d v128) (local $e v128) (local $ae v128) (local $nz v128)
    (local $e2 v128) (local $s2 v128) (local $rel v128)
    (local $maxv v128) (local $nzc v128) (local $zc v128)
    (local $sse f64) (local $sig f64) (local $rsum f64)
    (local.set $magic (v128.const f64x2 6755399441055744 6755399441055744))
    (local.set $end (i32.add (local.get $x) (i32.shl (local.get $n) (i32.const 2))))
    (block $blocks_done
      (loop $block
        (br_if $blocks_done (i32.ge_u (local.get $x) (local.get $end)))
        (local.set $bend (i32.add (local.get $x) (i32.shl (local.get $bs) (i32.const 2))))
        (if (i32.gt_u (local.get $bend) (local.get $end)) (then (local.set $bend (local.get $end))))
        ;; The block's max |x| as block_absmax finds it (NaN never taken): whole vectors, two
        ;; accumulators, then the last 2 values of a short block.
        (local.set $vend (i32.sub (local.get $bend) (i32.and (i32.sub (local.get $bend) (local.get $x)) (i32.const 15))))
        (local.set $acc (v128.const i32x4 0 0 0 0))
        (local.set $acc2 (v128.const i32x4 0 0 0 0))
        (local.set $p (local.get $x))
        (block $done
          (loop $next
            (br_if $done (i32.gt_u (i32.add (local.get $p) (i32.const 32)) (local.get $vend)))
            (local.set $acc (f32x4.pmax (local.get $acc) (f32x4.abs (v128.load (local.get $p)))))
            (local.set $acc2 (f32x4.pmax (local.get $acc2) (f32x4.abs (v128.load offset=16 (local.get $p)))))
            (local.set $p (i32.add (local.get $p) (i32.const 32)))
            (br $next)))
        (if (i32.lt_u (local.get $p) (local.get $vend))
          (then
            (local.set $acc (f32x4.pmax (local.get $acc) (f32x4.abs (v128.load (local.get $p)))))
            (local.set $p (i32.add (local.get $p) (i32.const 16)))))
        (if (i32.lt_u (local.get $p) (local.get $bend))
          (then
            (local.set $acc2 (f32x4.pmax (local.get $acc2) (f32x4.abs (v128.load64_zero (local.get $p)))))))
        (local.set $acc (f32x4.pmax (local.get $acc) (local.get $acc2)))
        (local.set $m (f32.max
          (f32.max (f32x4.extract_lane 0 (local.get $acc)) (f32x4.extract_lane 1 (local.get $acc)))
          (f32.max (f32x4.extract_lane 2 (local.get $acc)) (f32x4.extract_lane 3 (local.get $acc)))))
        (local.set $am (f64.promote_f32 (local.get $m)))
        (if (f64.ne (local.get $am) (f64.const 0))
          (then
            (local.set $inv (f64x2.splat (f64.div (local.get $levels) (local.get $am))))
            (local.set $step (f64x2.splat (f64.div (local.get $am) (local.get $levels)))))
          (else
            (local.set $inv (v128.const i32x4 0 0 0 0))
            (local.set $step (v128.const i32x4 0 0 0 0))))
        (block $done
          (loop $next
            (br_if $done (i32.ge_u (local.get $x) (local.get $bend)))
            (local.set $v (f64x2.promote_low_f32x4 (v128.load64_zero (local.get $x))))
            (local.set $d (f64x2.promote_low_f32x4 (f32x4.demote_f64x2_zero (f64x2.mul
              (f64x2.sub (f64x2.add (f64x2.mul (local.get $v) (local.get $inv)) (local.get $magic)) (local.get $magic))
              (local.get $step)))))
            (local.set $e (f64x2.sub (local.get $v) (local.get $d)))
            (local.set $ae (f64x2.abs (local.get $e)))
            (local.set $nz (f64x2.ne (local.get $v) (v128.const f64x2 0 0)))
            (local.set $e2 (f64x2.mul (local.get $e) (local.get $e)))
            (local.set $s2 (f64x2.mul (local.get $v) (local.get $v)))
            (local.set $rel (v128.and (local.get $nz) (f64x2.div (local.get $ae) (f64x2.abs (local.get $v)))))
            (local.set $maxv (f64x2.pmax (local.get $maxv) (local.get $ae)))
            (local.set $nzc (i64x2.sub (local.get $nzc) (local.get $nz)))
            (local.set $zc (i64x2.sub (local.get $zc)
              (v128.and (local.get $nz) (f64x2.eq (local.get $d) (v128.const f64x2 0 0)))))
            (local.set $sse (f64.add (f64.add (local.get $sse) (f64x2.extract_lane 0 (local.get $e2)))
              (f64x2.extract_lane 1 (local.get $e2))))
            (local.set $sig (f64.add (f64.add (local.get $sig) (f64x2.extract_lane 0 (local.get $s2)))
              (f64x2.extract_lane 1 (local.get $s2))))
            (local.set $rsum (f64.add (f64.add (local.get $rsum) (f64x2.extract_lane 0 (local.get $rel)))
              (f64x2.extract_lane 1 (local.get $rel))))
            (local.set $x (i32.add (local.get $x) (i32.const 8)))
            (br $next)))
        (br $block)))
    (local.get $sse) (local.get $sig)
    (f64.max (f64x2.extract_lane 0 (local.get $maxv)) (f64x2.extract_lane 1 (local.get $maxv)))
    (local.get $rsum)
    (i32.wrap_i64 (i64.add (i64x2.extract_lane 0 (local.get $nzc)) (i64x2.extract_lane 1 (local.get $nzc))))
    (i32.wrap_i64 (i64.add (i64x2.extract_lane 0 (local.get $zc)) (i64x2.extract_lane 1 (local.get $zc)))))

  ;; The error sums of core/quantlab/metrics.ts accumulateErrors over (x[i], dq[i]), i < n:
  ;; Σ(x − x̂)², Σx², max|x − x̂|, Σ|x − x̂|/|x| over x ≠ 0, the nonzero and zeroed counts. The
  ;; per-element terms are computed two lanes at a time; the three float64 sums are added one
  ;; element at a time in index order, so they round exactly as the TypeScript loop does.
  (func (export "accumulate") (param $x i32) (param $dq i32) (param $n i32)
    (result f64 f64 f64 f64 i32 i32)
    (local $end i32) (local $vend i32)
    (local $v v128) (local $d v128) (local $e v128) (local $ae v128) (local $nz v128)
    (local $e2 v128) (local $s2 v128) (local $rel v128)
    (local $maxv v128) (local $nzc v128) (local $zc v128)
    (local $sse f64) (local $sig f64) (local $rsum f64)
    (local $sv f64) (local $sd f64) (local $se f64) (local $sae f64) (local $smax f64)
    (local $snz i32) (local $sz i32)
    (local.set $end (i32.add (local.get $x) (i32.shl (local.get $n) (i32.const 2))))
    (local.set $vend (i32.add (local.get $x) (i32.shl (i32.and (local.get $n) (i32.const -2)) (i32.const 2))))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $x) (local.get $vend)))
        (local.set $v (f64x2.promote_low_f32x4 (v128.load64_zero (local.get $x))))
        (local.set $d (f64x2.promote_low_f32x4 (v128.load64_zero (local.get $dq))))
        (local.set $e (f64x2.sub (local.get $v) (local.get $d)))
        (local.set $ae (f64x2.abs (local.get $e)))
        (local.set $nz (f64x2.ne (local.get $v) (v128.const f64x2 0 0)))
        (local.set $e2 (f64x2.mul (local.get $e) (local.get $e)))
        (local.set $s2 (f64x2.mul (local.get $v) (local.get $v)))
        (local.set $rel (v128.and (local.get $nz)
          (f64x2.div (local.get $ae) (f64x2.abs (local.get $v)))))
        (local.set $maxv (f64x2.pmax (local.get $maxv) (local.get $ae)))
        (local.set $nzc (i64x2.sub (local.get $nzc) (local.get $nz)))
        (local.set $zc (i64x2.sub (local.get $zc)
          (v128.and (local.get $nz) (f64x2.eq (local.get $d) (v128.const f64x2 0 0)))))
        (local.set $sse (f64.add (f64.add (local.get $sse) (f64x2.extract_lane 0 (local.get $e2)))
          (f64x2.extract_lane 1 (local.get $e2))))
        (local.set $sig (f64.add (f64.add (local.get $sig) (f64x2.extract_lane 0 (local.get $s2)))
          (f64x2.extract_lane 1 (local.get $s2))))
        (local.set $rsum (f64.add (f64.add (local.get $rsum) (f64x2.extract_lane 0 (local.get $rel)))
          (f64x2.extract_lane 1 (local.get $rel))))
        (local.set $x (i32.add (local.get $x) (i32.const 8)))
        (local.set $dq (i32.add (local.get $dq) (i32.const 8)))
        (br $next)))
    (local.set $smax (f64.max (f64x2.extract_lane 0 (local.get $maxv)) (f64x2.extract_lane 1 (local.get $maxv))))
    (local.set $snz (i32.wrap_i64 (i64.add (i64x2.extract_lane 0 (local.get $nzc)) (i64x2.extract_lane 1 (local.get $nzc)))))
    (local.set $sz (i32.wrap_i64 (i64.add (i64x2.extract_lane 0 (local.get $zc)) (i64x2.extract_lane 1 (local.get $zc)))))
    (if (i32.lt_u (local.get $x) (local.get $end))
      (then
        (local.set $sv (f64.promote_f32 (f32.load (local.get $x))))
        (local.set $sd (f64.promote_f32 (f32.load (local.get $dq))))
        (local.set $se (f64.sub (local.get $sv) (local.get $sd)))
        (local.set $sae (f64.abs (local.get $se)))
        (local.set $sse (f64.add (local.get $sse) (f64.mul (local.get $se) (local.get $se))))
        (local.set $sig (f64.add (local.get $sig) (f64.mul (local.get $sv) (local.get $sv))))
        (local.set $smax (select (local.get $sae) (local.get $smax) (f64.gt (local.get $sae) (local.get $smax))))
        (if (f64.ne (local.get $sv) (f64.const 0))
          (then
            (local.set $snz (i32.add (local.get $snz) (i32.const 1)))
            (local.set $rsum (f64.add (local.get $rsum) (f64.div (local.get $sae) (f64.abs (local.get $sv)))))
            (local.set $sz (i32.add (local.get $sz) (f64.eq (local.get $sd) (f64.const 0))))))))
    (local.get $sse) (local.get $sig) (local.get $smax) (local.get $rsum) (local.get $snz) (local.get $sz))
)
