#pragma once
// Levenberg-Marquardt with a forward-difference Jacobian, for the fits of `bridges calibrate`:
// deterministic (every evaluation is a seeded simulation), bounded through `bound`.

#include <Eigen/Dense>

#include <algorithm>

namespace bridges::study {

/// The state of a fit: the point, its residuals and what its evaluation produced.
template <class Payload> struct LmFit {
    Eigen::VectorXd x, r;
    Payload payload{}, payload_start{}; // of the point, and of x0
    double loss_start = 0;
    int iterations = 0;
    bool converged = false;
};

/// Minimises |residuals(x)|^2 from x0. `residuals(x, Payload* out)` evaluates the point (filling
/// `out` when given); `bound(x)` returns x moved into the bounds. Converged: a step gains less than
/// `tolerance` of the loss, or no step along the damped Gauss-Newton direction lowers it (a minimum
/// to the precision of the finite differences, of step `step`).
template <class Payload, class Residuals, class Bound>
LmFit<Payload> levenberg_marquardt(Residuals&& residuals, Bound&& bound, const Eigen::VectorXd& x0,
                                   int max_iterations, double tolerance, double step) {
    LmFit<Payload> f;
    f.x = x0;
    f.r = residuals(f.x, &f.payload);
    f.payload_start = f.payload;
    f.loss_start = f.r.squaredNorm();
    const auto n = x0.size();
    double lambda = 1e-2;
    while (!f.converged && f.iterations < max_iterations) {
        ++f.iterations;
        Eigen::MatrixXd J(f.r.size(), n);
        for (Eigen::Index j = 0; j < n; ++j) {
            Eigen::VectorXd xh = f.x;
            xh[j] += step;
            J.col(j) = (residuals(xh, static_cast<Payload*>(nullptr)) - f.r) / step;
        }
        const Eigen::MatrixXd A = J.transpose() * J;
        const Eigen::VectorXd g = J.transpose() * f.r;
        bool improved = false;
        for (int attempt = 0; attempt < 8 && !improved; ++attempt) {
            Eigen::MatrixXd D = A;
            D.diagonal() += lambda * A.diagonal().cwiseMax(1e-9);
            const Eigen::VectorXd xn = bound(Eigen::VectorXd(f.x + D.ldlt().solve(-g)));
            Payload pn{};
            const Eigen::VectorXd rn = residuals(xn, &pn);
            if (rn.squaredNorm() < f.r.squaredNorm()) {
                const double gain =
                    (f.r.squaredNorm() - rn.squaredNorm()) / std::max(f.r.squaredNorm(), 1e-300);
                f.x = xn;
                f.r = rn;
                f.payload = std::move(pn);
                lambda = std::max(lambda / 3, 1e-6);
                improved = true;
                f.converged = gain < tolerance;
            } else {
                lambda *= 4;
            }
        }
        if (!improved) f.converged = true;
    }
    return f;
}

} // namespace bridges::study
