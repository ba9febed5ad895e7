;; Dense kernels of the simulation core in WebAssembly with 128-bit SIMD (two doubles per
;; instruction). Pointers are byte offsets into the module's memory, matrices are row-major
;; float64 arrays, and every kernel adds into its output, so callers can split a product into
;; blocks of columns. Compiled to kernelsBinary.ts by scripts/build-wasm.mjs.
(module
  (memory (export "memory") 1)

  ;; Adds the lanes of a v128 of two doubles.
  (func $sum (param $v v128) (result f64)
    (f64.add (f64x2.extract_lane 0 (local.get $v)) (f64x2.extract_lane 1 (local.get $v))))

;; out[i rowStride + j columnStride] += sum_{k < cols} a[i cols + k] b[j cols + k] for i < na and
  ;; j < nb, in blocks of four rows of A by two rows of B. Past the last row the blocks repeat it
  ;; and drop its sums. With symmetric != 0 (A = B) only the blocks with j >= i are computed, and
  ;; the caller mirrors the upper triangle.
  (func (export "crossProducts")
    (param $a i32) (param $b i32) (param $out i32) (param $na i32) (param $nb i32) (param $cols i32)
    (param $rowStride i32) (param $columnStride i32) (param $symmetric i32)
    (local $i i32) (local $j i32) (local $k i32) (local $lastA i32) (local $lastB i32)
    (local $rowBytes i32) (local $pairBytes i32)
    (local $a0 i32) (local $a1 i32) (local $a2 i32) (local $a3 i32) (local $b0 i32) (local $b1 i32)
    (local $i1 i32) (local $i2 i32) (local $i3 i32) (local $j1 i32)
    (local $s00 v128) (local $s01 v128) (local $s10 v128) (local $s11 v128)
    (local $s20 v128) (local $s21 v128) (local $s30 v128) (local $s31 v128)
    (local $x0 v128) (local $x1 v128) (local $x2 v128) (local $x3 v128) (local $y0 v128) (local $y1 v128)
    (local $t00 f64) (local $t01 f64) (local $t10 f64) (local $t11 f64)
    (local $t20 f64) (local $t21 f64) (local $t30 f64) (local $t31 f64)
    (local $u0 f64) (local $u1 f64)
    (local.set $lastA (i32.sub (local.get $na) (i32.const 1)))
    (local.set $lastB (i32.sub (local.get $nb) (i32.const 1)))
    (local.set $rowBytes (i32.shl (local.get $cols) (i32.const 3)))
    ;; Bytes of the columns taken in pairs; an odd last column is added in scalar.
    (local.set $pairBytes (i32.shl (i32.and (local.get $cols) (i32.const -2)) (i32.const 3)))
    (local.set $i (i32.const 0))
    (block $iEnd (loop $iLoop
      (br_if $iEnd (i32.ge_s (local.get $i) (local.get $na)))
      (local.set $i1 (call $clamp (i32.add (local.get $i) (i32.const 1)) (local.get $lastA)))
      (local.set $i2 (call $clamp (i32.add (local.get $i) (i32.const 2)) (local.get $lastA)))
      (local.set $i3 (call $clamp (i32.add (local.get $i) (i32.const 3)) (local.get $lastA)))
      (local.set $a0 (i32.add (local.get $a) (i32.mul (local.get $i) (local.get $rowBytes))))
      (local.set $a1 (i32.add (local.get $a) (i32.mul (local.get $i1) (local.get $rowBytes))))
      (local.set $a2 (i32.add (local.get $a) (i32.mul (local.get $i2) (local.get $rowBytes))))
      (local.set $a3 (i32.add (local.get $a) (i32.mul (local.get $i3) (local.get $rowBytes))))
      (local.set $j (select (local.get $i) (i32.const 0) (local.get $symmetric)))
      (block $jEnd (loop $jLoop
        (br_if $jEnd (i32.ge_s (local.get $j) (local.get $nb)))
        (local.set $j1 (call $clamp (i32.add (local.get $j) (i32.const 1)) (local.get $lastB)))
        (local.set $b0 (i32.add (local.get $b) (i32.mul (local.get $j) (local.get $rowBytes))))
        (local.set $b1 (i32.add (local.get $b) (i32.mul (local.get $j1) (local.get $rowBytes))))
        (local.set $s00 (v128.const f64x2 0 0)) (local.set $s01 (v128.const f64x2 0 0))
        (local.set $s10 (v128.const f64x2 0 0)) (local.set $s11 (v128.const f64x2 0 0))
        (local.set $s20 (v128.const f64x2 0 0)) (local.set $s21 (v128.const f64x2 0 0))
        (local.set $s30 (v128.const f64x2 0 0)) (local.set $s31 (v128.const f64x2 0 0))
        (local.set $k (i32.const 0))
        (block $kEnd (loop $kLoop
          (br_if $kEnd (i32.ge_s (local.get $k) (local.get $pairBytes)))
          (local.set $y0 (v128.load (i32.add (local.get $b0) (local.get $k))))
          (local.set $y1 (v128.load (i32.add (local.get $b1) (local.get $k))))
          (local.set $x0 (v128.load (i32.add (local.get $a0) (local.get $k))))
          (local.set $x1 (v128.load (i32.add (local.get $a1) (local.get $k))))
          (local.set $x2 (v128.load (i32.add (local.get $a2) (local.get $k))))
          (local.set $x3 (v128.load (i32.add (local.get $a3) (local.get $k))))
          (local.set $s00 (f64x2.add (local.get $s00) (f64x2.mul (local.get $x0) (local.get $y0))))
          (local.set $s01 (f64x2.add (local.get $s01) (f64x2.mul (local.get $x0) (local.get $y1))))
          (local.set $s10 (f64x2.add (local.get $s10) (f64x2.mul (local.get $x1) (local.get $y0))))
          (local.set $s11 (f64x2.add (local.get $s11) (f64x2.mul (local.get $x1) (local.get $y1))))
          (local.set $s20 (f64x2.add (local.get $s20) (f64x2.mul (local.get $x2) (local.get $y0))))
          (local.set $s21 (f64x2.add (local.get $s21) (f64x2.mul (local.get $x2) (local.get $y1))))
          (local.set $s30 (f64x2.add (local.get $s30) (f64x2.mul (local.get $x3) (local.get $y0))))
          (local.set $s31 (f64x2.add (local.get $s31) (f64x2.mul (local.get $x3) (local.get $y1))))
          (local.set $k (i32.add (local.get $k) (i32.const 16)))
          (br $kLoop)))
        (local.set $t00 (call $sum (local.get $s00))) (local.set $t01 (call $sum (local.get $s01)))
        (local.set $t10 (call $sum (local.get $s10))) (local.set $t11 (call $sum (local.get $s11)))
        (local.set $t20 (call $sum (local.get $s20))) (local.set $t21 (call $sum (local.get $s21)))
        (local.set $t30 (call $sum (local.get $s30))) (local.set $t31 (call $sum (local.get $s31)))
        (if (i32.lt_s (local.get $pairBytes) (local.get $rowBytes))
          (then
            (local.set $u0 (f64.load (i32.add (local.get $b0) (local.get $pairBytes))))
            (local.set $u1 (f64.load (i32.add (local.get $b1) (local.get $pairBytes))))
            (local.set $t00 (f64.add (local.get $t00) (f64.mul (f64.load (i32.add (local.get $a0) (local.get $pairBytes))) (local.get $u0))))
            (local.set $t01 (f64.add (local.get $t01) (f64.mul (f64.load (i32.add (local.get $a0) (local.get $pairBytes))) (local.get $u1))))
            (local.set $t10 (f64.add (local.get $t10) (f64.mul (f64.load (i32.add (local.get $a1) (local.get $pairBytes))) (local.get $u0))))
            (local.set $t11 (f64.add (local.get $t11) (f64.mul (f64.load (i32.add (local.get $a1) (local.get $pairBytes))) (local.get $u1))))
            (local.set $t20 (f64.add (local.get $t20) (f64.mul (f64.load (i32.add (local.get $a2) (local.get $pairBytes))) (local.get $u0))))
            (local.set $t21 (f64.add (local.get $t21) (f64.mul (f64.load (i32.add (local.get $a2) (local.get $pairBytes))) (local.get $u1))))
            (local.set $t30 (f64.add (local.get $t30) (f64.mul (f64.load (i32.add (local.get $a3) (local.get $pairBytes))) (local.get $u0))))
            (local.set $t31 (f64.add (local.get $t31) (f64.mul (f64.load (i32.add (local.get $a3) (local.get $pairBytes))) (local.get $u1))))))
        ;; A repeated row or column (past the last one) is not added again: its index is -1.
        (local.set $j1 (select (local.get $j1) (i32.const -1) (i32.lt_s (local.get $j) (local.get $lastB))))
        (local.set $i1 (select (local.get $i1) (i32.const -1) (i32.lt_s (local.get $i) (local.get $lastA))))
        (local.set $i2 (select (local.get $i2) (i32.const -1) (i32.lt_s (i32.add (local.get $i) (i32.const 1)) (local.get $lastA))))
        (local.set $i3 (select (local.get $i3) (i32.const -1) (i32.lt_s (i32.add (local.get $i) (i32.const 2)) (local.get $lastA))))
        (call $addPair (local.get $out) (local.get $rowStride) (local.get $columnStride)
          (local.get $i) (local.get $j) (local.get $j1) (local.get $t00) (local.get $t01))
        (call $addPair (local.get $out) (local.get $rowStride) (local.get $columnStride)
          (local.get $i1) (local.get $j) (local.get $j1) (local.get $t10) (local.get $t11))
        (call $addPair (local.get $out) (local.get $rowStride) (local.get $columnStride)
          (local.get $i2) (local.get $j) (local.get $j1) (local.get $t20) (local.get $t21))
        (call $addPair (local.get $out) (local.get $rowStride) (local.get $columnStride)
          (local.get $i3) (local.get $j) (local.get $j1) (local.get $t30) (local.get $t31))
        (local.set $j (i32.add (local.get $j) (i32.const 2)))
        (br $jLoop)))
      (local.set $i (i32.add (local.get $i) (i32.const 4)))
      (br $iLoop))))

;; out[r n + i] = (accumulate ? out[r n + i] : 0) + bias[r] + sum_{c < count} coef(r, c) input[c n + i]
  ;; for r < rows and i < n, then times multiplier[r n + i]. coef(r, c) is at coef + (r rowStride +
  ;; c columnStride) doubles, so the coefficients can be a matrix or its transpose. bias and
  ;; multiplier are skipped when -1. Eight entries of a row of out are summed at a time in four
  ;; registers, so each coefficient is loaded once per eight entries.
  (func (export "rowCombination")
    (param $out i32) (param $coef i32) (param $rowStride i32) (param $columnStride i32) (param $input i32)
    (param $rows i32) (param $count i32) (param $n i32) (param $bias i32) (param $accumulate i32)
    (param $multiplier i32)
    (local $r i32) (local $i i32) (local $c i32) (local $rowBytes i32) (local $columnBytes i32)
    (local $outRow i32) (local $multiplierRow i32) (local $coefRow i32) (local $at i32) (local $from i32) (local $weight i32)
    (local $start f64) (local $scalar f64)
    (local $w v128) (local $s0 v128) (local $s1 v128) (local $s2 v128) (local $s3 v128)
    (local.set $rowBytes (i32.shl (local.get $n) (i32.const 3)))
    (local.set $columnBytes (i32.shl (local.get $columnStride) (i32.const 3)))
    (local.set $r (i32.const 0))
    (block $rEnd (loop $rLoop
      (br_if $rEnd (i32.ge_s (local.get $r) (local.get $rows)))
      (local.set $outRow (i32.add (local.get $out) (i32.mul (local.get $r) (local.get $rowBytes))))
      (local.set $multiplierRow (i32.add (local.get $multiplier) (i32.mul (local.get $r) (local.get $rowBytes))))
      (local.set $coefRow (i32.add (local.get $coef) (i32.shl (i32.mul (local.get $r) (local.get $rowStride)) (i32.const 3))))
      (local.set $start (f64.const 0))
      (if (i32.ge_s (local.get $bias) (i32.const 0)) (then
        (local.set $start (f64.load (i32.add (local.get $bias) (i32.shl (local.get $r) (i32.const 3)))))))
      (local.set $i (i32.const 0))
      ;; Eight entries at a time.
      (block $eightEnd (loop $eightLoop
        (br_if $eightEnd (i32.gt_s (i32.add (local.get $i) (i32.const 8)) (local.get $n)))
        (local.set $at (i32.add (local.get $outRow) (i32.shl (local.get $i) (i32.const 3))))
        (local.set $s0 (f64x2.splat (local.get $start)))
        (local.set $s1 (local.get $s0)) (local.set $s2 (local.get $s0)) (local.set $s3 (local.get $s0))
        (if (local.get $accumulate) (then
          (local.set $s0 (f64x2.add (local.get $s0) (v128.load (local.get $at))))
          (local.set $s1 (f64x2.add (local.get $s1) (v128.load offset=16 (local.get $at))))
          (local.set $s2 (f64x2.add (local.get $s2) (v128.load offset=32 (local.get $at))))
          (local.set $s3 (f64x2.add (local.get $s3) (v128.load offset=48 (local.get $at))))))
        (local.set $weight (local.get $coefRow))
        (local.set $from (i32.add (local.get $input) (i32.shl (local.get $i) (i32.const 3))))
        (local.set $c (i32.const 0))
        (block $cEnd (loop $cLoop
          (br_if $cEnd (i32.ge_s (local.get $c) (local.get $count)))
          (local.set $w (f64x2.splat (f64.load (local.get $weight))))
          (local.set $s0 (f64x2.add (local.get $s0) (f64x2.mul (local.get $w) (v128.load (local.get $from)))))
          (local.set $s1 (f64x2.add (local.get $s1) (f64x2.mul (local.get $w) (v128.load offset=16 (local.get $from)))))
          (local.set $s2 (f64x2.add (local.get $s2) (f64x2.mul (local.get $w) (v128.load offset=32 (local.get $from)))))
          (local.set $s3 (f64x2.add (local.get $s3) (f64x2.mul (local.get $w) (v128.load offset=48 (local.get $from)))))
          (local.set $weight (i32.add (local.get $weight) (local.get $columnBytes)))
          (local.set $from (i32.add (local.get $from) (local.get $rowBytes)))
          (local.set $c (i32.add (local.get $c) (i32.const 1)))
          (br $cLoop)))
        (if (i32.ge_s (local.get $multiplier) (i32.const 0)) (then
          (local.set $from (i32.add (local.get $multiplierRow) (i32.shl (local.get $i) (i32.const 3))))
          (local.set $s0 (f64x2.mul (local.get $s0) (v128.load (local.get $from))))
          (local.set $s1 (f64x2.mul (local.get $s1) (v128.load offset=16 (local.get $from))))
          (local.set $s2 (f64x2.mul (local.get $s2) (v128.load offset=32 (local.get $from))))
          (local.set $s3 (f64x2.mul (local.get $s3) (v128.load offset=48 (local.get $from))))))
        (v128.store (local.get $at) (local.get $s0))
        (v128.store offset=16 (local.get $at) (local.get $s1))
        (v128.store offset=32 (local.get $at) (local.get $s2))
        (v128.store offset=48 (local.get $at) (local.get $s3))
        (local.set $i (i32.add (local.get $i) (i32.const 8)))
        (br $eightLoop)))
      ;; The remaining entries one at a time.
      (block $oneEnd (loop $oneLoop
        (br_if $oneEnd (i32.ge_s (local.get $i) (local.get $n)))
        (local.set $at (i32.add (local.get $outRow) (i32.shl (local.get $i) (i32.const 3))))
        (local.set $scalar (local.get $start))
        (if (local.get $accumulate) (then
          (local.set $scalar (f64.add (local.get $scalar) (f64.load (local.get $at))))))
        (local.set $weight (local.get $coefRow))
        (local.set $from (i32.add (local.get $input) (i32.shl (local.get $i) (i32.const 3))))
        (local.set $c (i32.const 0))
        (block $cEnd1 (loop $cLoop1
          (br_if $cEnd1 (i32.ge_s (local.get $c) (local.get $count)))
          (local.set $scalar (f64.add (local.get $scalar) (f64.mul (f64.load (local.get $weight)) (f64.load (local.get $from)))))
          (local.set $weight (i32.add (local.get $weight) (local.get $columnBytes)))
          (local.set $from (i32.add (local.get $from) (local.get $rowBytes)))
          (local.set $c (i32.add (local.get $c) (i32.const 1)))
          (br $cLoop1)))
        (if (i32.ge_s (local.get $multiplier) (i32.const 0)) (then
          (local.set $scalar (f64.mul (local.get $scalar)
            (f64.load (i32.add (local.get $multiplierRow) (i32.shl (local.get $i) (i32.const 3))))))))
        (f64.store (local.get $at) (local.get $scalar))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $oneLoop)))
      (local.set $r (i32.add (local.get $r) (i32.const 1)))
      (br $rLoop))))

  ;; Returns index, or last when index > last.
  (func $clamp (param $index i32) (param $last i32) (result i32)
    (select (local.get $index) (local.get $last) (i32.lt_s (local.get $index) (local.get $last))))

  ;; Adds first to out at (row, column) and second at (row, next), with the given strides in
  ;; doubles; skips a row or next of -1.
  (func $addPair (param $out i32) (param $rowStride i32) (param $columnStride i32)
    (param $row i32) (param $column i32) (param $next i32) (param $first f64) (param $second f64)
    (local $at i32)
    (if (i32.lt_s (local.get $row) (i32.const 0)) (then (return)))
    (local.set $at (i32.add (local.get $out) (i32.shl (i32.add
      (i32.mul (local.get $row) (local.get $rowStride))
      (i32.mul (local.get $column) (local.get $columnStride))) (i32.const 3))))
    (f64.store (local.get $at) (f64.add (f64.load (local.get $at)) (local.get $first)))
    (if (i32.ge_s (local.get $next) (i32.const 0)) (then
      (local.set $at (i32.add (local.get $at) (i32.shl (local.get $columnStride) (i32.const 3))))
      (f64.store (local.get $at) (f64.add (f64.load (local.get $at)) (local.get $second))))))
)
