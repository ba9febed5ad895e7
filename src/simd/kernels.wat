;; Dense kernels of the simulation core in WebAssembly with 128-bit SIMD (two doubles per
;; instruction). Pointers are byte offsets into the module's memory, matrices are row-major
;; float64 arrays, and every kernel adds into its output, so callers can split a product into
;; blocks of columns. Compiled to kernelsBinary.ts by scripts/build-wasm.mjs.
(module
  (memory (export "memory") 1)

  ;; Adds the lanes of a v128 of two doubles.
  (func $sum (param $v v128) (result f64)
    (f64.add (f64x2.extract_lane 0 (local.get $v)) (f64x2.extract_lane 1 (local.get $v))))

  ;; out[i n + j] += sum_{k < cols} a[i cols + k] b[j cols + k] for i, j < n, in blocks of four
  ;; rows of A by two rows of B. Past row n - 1 the blocks repeat row n - 1 and drop its sums.
  ;; With symmetric != 0 only the blocks with j >= i are computed, and the caller mirrors the
  ;; upper triangle.
  (func (export "crossGram")
    (param $a i32) (param $b i32) (param $out i32) (param $n i32) (param $cols i32) (param $symmetric i32)
    (local $i i32) (local $j i32) (local $k i32) (local $last i32) (local $rowBytes i32) (local $pairBytes i32)
    (local $a0 i32) (local $a1 i32) (local $a2 i32) (local $a3 i32) (local $b0 i32) (local $b1 i32)
    (local $i1 i32) (local $i2 i32) (local $i3 i32) (local $j1 i32)
    (local $s00 v128) (local $s01 v128) (local $s10 v128) (local $s11 v128)
    (local $s20 v128) (local $s21 v128) (local $s30 v128) (local $s31 v128)
    (local $x0 v128) (local $x1 v128) (local $x2 v128) (local $x3 v128) (local $y0 v128) (local $y1 v128)
    (local $t00 f64) (local $t01 f64) (local $t10 f64) (local $t11 f64)
    (local $t20 f64) (local $t21 f64) (local $t30 f64) (local $t31 f64)
    (local $u0 f64) (local $u1 f64)
    (local.set $last (i32.sub (local.get $n) (i32.const 1)))
    (local.set $rowBytes (i32.shl (local.get $cols) (i32.const 3)))
    ;; Bytes of the columns taken in pairs; an odd last column is added in scalar.
    (local.set $pairBytes (i32.shl (i32.and (local.get $cols) (i32.const -2)) (i32.const 3)))
    (local.set $i (i32.const 0))
    (block $iEnd (loop $iLoop
      (br_if $iEnd (i32.ge_s (local.get $i) (local.get $n)))
      (local.set $i1 (select (i32.add (local.get $i) (i32.const 1)) (local.get $last)
        (i32.lt_s (i32.add (local.get $i) (i32.const 1)) (local.get $last))))
      (local.set $i2 (select (i32.add (local.get $i) (i32.const 2)) (local.get $last)
        (i32.lt_s (i32.add (local.get $i) (i32.const 2)) (local.get $last))))
      (local.set $i3 (select (i32.add (local.get $i) (i32.const 3)) (local.get $last)
        (i32.lt_s (i32.add (local.get $i) (i32.const 3)) (local.get $last))))
      (local.set $a0 (i32.add (local.get $a) (i32.mul (local.get $i) (local.get $rowBytes))))
      (local.set $a1 (i32.add (local.get $a) (i32.mul (local.get $i1) (local.get $rowBytes))))
      (local.set $a2 (i32.add (local.get $a) (i32.mul (local.get $i2) (local.get $rowBytes))))
      (local.set $a3 (i32.add (local.get $a) (i32.mul (local.get $i3) (local.get $rowBytes))))
      (local.set $j (select (local.get $i) (i32.const 0) (local.get $symmetric)))
      (block $jEnd (loop $jLoop
        (br_if $jEnd (i32.ge_s (local.get $j) (local.get $n)))
        (local.set $j1 (select (i32.add (local.get $j) (i32.const 1)) (local.get $last)
          (i32.lt_s (i32.add (local.get $j) (i32.const 1)) (local.get $last))))
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
        ;; Repeated rows (past n - 1) are not added again.
        (local.set $j1 (select (local.get $j1) (i32.const -1) (i32.lt_s (local.get $j) (local.get $last))))
        (call $addPair (local.get $out) (local.get $n) (local.get $i) (local.get $j) (local.get $j1) (local.get $t00) (local.get $t01))
        (if (i32.lt_s (local.get $i) (local.get $last)) (then
          (call $addPair (local.get $out) (local.get $n) (local.get $i1) (local.get $j) (local.get $j1) (local.get $t10) (local.get $t11))))
        (if (i32.lt_s (i32.add (local.get $i) (i32.const 1)) (local.get $last)) (then
          (call $addPair (local.get $out) (local.get $n) (local.get $i2) (local.get $j) (local.get $j1) (local.get $t20) (local.get $t21))))
        (if (i32.lt_s (i32.add (local.get $i) (i32.const 2)) (local.get $last)) (then
          (call $addPair (local.get $out) (local.get $n) (local.get $i3) (local.get $j) (local.get $j1) (local.get $t30) (local.get $t31))))
        (local.set $j (i32.add (local.get $j) (i32.const 2)))
        (br $jLoop)))
      (local.set $i (i32.add (local.get $i) (i32.const 4)))
      (br $iLoop))))

  ;; Adds first to out[row n + column] and second to out[row n + next], unless next is -1.
  (func $addPair (param $out i32) (param $n i32) (param $row i32) (param $column i32) (param $next i32)
    (param $first f64) (param $second f64)
    (local $at i32)
    (local.set $at (i32.add (local.get $out)
      (i32.shl (i32.add (i32.mul (local.get $row) (local.get $n)) (local.get $column)) (i32.const 3))))
    (f64.store (local.get $at) (f64.add (f64.load (local.get $at)) (local.get $first)))
    (if (i32.ge_s (local.get $next) (i32.const 0)) (then
      (f64.store offset=8 (local.get $at) (f64.add (f64.load offset=8 (local.get $at)) (local.get $second))))))
)
