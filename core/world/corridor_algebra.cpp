#include "core/world/corridor_algebra.hpp"

namespace bridges::core {

Eigen::MatrixXd corridor_matrix(const World& w, const Eigen::VectorXd& per_corridor) {
    const auto nc = static_cast<Eigen::Index>(w.countries.size());
    Eigen::MatrixXd m = Eigen::MatrixXd::Zero(nc, nc);
    for (Eigen::Index k = 0; k < per_corridor.size(); ++k)
        m(w.corridors.origin[k], w.corridors.host[k]) += per_corridor[k];
    return m;
}

Eigen::VectorXd destination_concentration(const World& w) {
    const auto& stock = w.corridors.stock;
    const Eigen::VectorXd s =
        Eigen::Map<const Eigen::VectorXd>(stock.data(), static_cast<Eigen::Index>(stock.size()));
    const Eigen::MatrixXd m = corridor_matrix(w, s);
    const Eigen::VectorXd totals = m.rowwise().sum();
    Eigen::VectorXd hhi = Eigen::VectorXd::Zero(m.rows());
    for (Eigen::Index o = 0; o < m.rows(); ++o)
        if (totals[o] > 0) hhi[o] = (m.row(o) / totals[o]).squaredNorm();
    return hhi;
}

} // namespace bridges::core
